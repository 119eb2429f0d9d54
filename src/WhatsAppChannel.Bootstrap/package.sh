#!/usr/bin/env bash
# Builds the Native AOT custom runtime and zips it for Lambda's provided.al2023 runtime:
#   src/WhatsAppChannel.Bootstrap/package.sh [x86_64|arm64]   ->  artifacts/whatsapp-channel-<arch>.zip
# Needs the .NET SDK, clang and zlib1g-dev (Debian: apt-get install -y clang zlib1g-dev), and zip or python3.
# Build on a host of the target architecture (an arm64 zip on an arm64 host).
set -euo pipefail

arch="${1:-x86_64}"
case "$arch" in
  x86_64|amd64|x64) arch=x86_64; rid=linux-x64 ;;
  arm64|aarch64)    arch=arm64;  rid=linux-arm64 ;;
  *) echo "usage: $0 [x86_64|arm64]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
publish_dir="$root/artifacts/publish/bootstrap-$rid"
zip_path="$root/artifacts/whatsapp-channel-$arch.zip"

host="$(uname -m)"
if [[ "$host" != "$arch" && ! ( "$host" == aarch64 && "$arch" == arm64 ) ]]; then
  echo "warning: building $arch on a $host host needs a cross toolchain; build on a $arch host if this fails." >&2
fi

rm -rf "$publish_dir" "$zip_path"
mkdir -p "$root/artifacts"
dotnet publish "$root/src/WhatsAppChannel.Bootstrap/WhatsAppChannel.Bootstrap.csproj" \
  -c Release -f net8.0 -r "$rid" -p:PublishAot=true -o "$publish_dir" -nologo

binary="$publish_dir/bootstrap"
[[ -x "$binary" ]] || { echo "error: publish left no executable $binary" >&2; exit 1; }

# provided.al2023 ships glibc 2.34: a binary linked against newer symbols would not start there.
if command -v objdump >/dev/null; then
  newest="$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
  if [[ -n "$newest" && "$(printf '%s\n2.34\n' "$newest" | sort -V | tail -1)" != "2.34" ]]; then
    echo "error: bootstrap needs GLIBC_$newest; provided.al2023 has 2.34. Build on an older glibc (e.g. an AL2023 container)." >&2
    exit 1
  fi
fi

# bootstrap at the zip root, executable bit kept.
if command -v zip >/dev/null; then
  (cd "$publish_dir" && zip -q -X "$zip_path" bootstrap)
else
  (cd "$publish_dir" && python3 -m zipfile -c "$zip_path" bootstrap)
fi

echo "bootstrap: $binary ($(stat -c %s "$binary") bytes)"
echo "zip:       $zip_path ($(stat -c %s "$zip_path") bytes)"
