using System.Text.Json;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// <c>GET /</c>: one self-contained page (nothing external: no CDN is reachable where the sandbox runs) showing, per
/// recipient, a phone-like chat of the accepted messages with their status ticks. The state is embedded, rendered by the
/// page's script at once, then polled from <c>/_sandbox/chats</c> every second.
/// </summary>
internal static class PreviewPage
{
    // System.Text.Json's default encoder escapes < > & ' ", so the embedded JSON cannot close its script element.
    public static string Html(ChatsView chats) =>
        Template.Replace("/*STATE*/null", JsonSerializer.Serialize(chats, SandboxJsonContext.Default.ChatsView), StringComparison.Ordinal);

    private const string Template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>WhatsApp sandbox preview</title>
        <style>
          :root { --green: #075e54; --bubble: #ffffff; --wall: #efeae2; --tick: #8696a0; --read: #34b7f1; --failed: #d93025; }
          * { box-sizing: border-box; }
          body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #d1d7db; color: #111b21; }
          h1 { margin: 0; padding: 12px 20px; font-size: 18px; background: var(--green); color: #fff; }
          #summary { padding: 8px 20px; color: #3b4a54; }
          #chats { display: flex; flex-wrap: wrap; gap: 20px; padding: 0 20px 20px; }
          .empty { padding: 20px; color: #3b4a54; }
          .phone { width: 340px; height: 600px; display: flex; flex-direction: column; border: 10px solid #202c33; border-radius: 28px; overflow: hidden; background: var(--wall); box-shadow: 0 4px 14px rgba(0,0,0,.25); }
          .phone-bar { display: flex; align-items: center; gap: 10px; padding: 10px 12px; background: var(--green); color: #fff; }
          .avatar { width: 34px; height: 34px; border-radius: 50%; background: #dfe5e7; color: var(--green); display: flex; align-items: center; justify-content: center; font-weight: 600; }
          .contact { font-weight: 600; }
          .sub { font-size: 12px; opacity: .8; }
          .chat { flex: 1; overflow-y: auto; padding: 10px 12px; display: flex; flex-direction: column; gap: 8px; }
          .message { align-self: flex-start; max-width: 92%; }
          .bubble { background: var(--bubble); border-radius: 0 8px 8px 8px; padding: 6px 8px 4px; box-shadow: 0 1px 0.5px rgba(0,0,0,.13); }
          .msg-header { font-weight: 700; margin-bottom: 2px; }
          .msg-body { white-space: pre-wrap; overflow-wrap: anywhere; }
          .msg-footer { color: #667781; font-size: 12px; margin-top: 4px; }
          .meta { display: flex; justify-content: flex-end; align-items: center; gap: 6px; font-size: 11px; color: #667781; margin-top: 2px; }
          .template { margin-right: auto; font-style: italic; }
          .meta time { white-space: nowrap; }
          .tick { font-size: 13px; font-weight: 700; color: var(--tick); letter-spacing: -3px; }
          .tick-read { color: var(--read); }
          .tick-failed { color: var(--failed); letter-spacing: 0; }
          .buttons { display: flex; flex-direction: column; gap: 2px; margin-top: 2px; }
          .button { display: block; text-align: center; background: var(--bubble); color: #027eb5; border-radius: 8px; padding: 7px; text-decoration: none; box-shadow: 0 1px 0.5px rgba(0,0,0,.13); }
          .button-url { font-size: 11px; color: #667781; overflow-wrap: anywhere; }
        </style>
        </head>
        <body>
        <h1>WhatsApp sandbox: what each recipient reads</h1>
        <div id="summary"></div>
        <main id="chats"></main>
        <script id="state" type="application/json">/*STATE*/null</script>
        <script>
        "use strict";
        const ticks = { accepted: "\u25F7", sent: "\u2713", delivered: "\u2713\u2713", read: "\u2713\u2713" };

        function el(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined && text !== null) node.textContent = text;
          return node;
        }

        function tick(message) {
          const failed = message.status === "failed";
          const node = el("span", "tick tick-" + message.status,
            failed ? "\u26A0 " + (message.errorCode ?? "failed") : ticks[message.status] ?? message.status);
          node.title = failed ? "failed" + (message.errorCode ? " (" + message.errorCode + ")" : "") : message.status;
          node.dataset.status = message.status;
          return node;
        }

        function renderMessage(message) {
          const article = el("article", "message");
          article.dataset.id = message.id;
          article.dataset.status = message.status;
          const bubble = el("div", "bubble");
          if (message.header) bubble.append(el("div", "msg-header", message.header));
          bubble.append(el("div", "msg-body", message.body));
          if (message.footer) bubble.append(el("div", "msg-footer", message.footer));
          const meta = el("div", "meta");
          meta.append(el("span", "template", message.template + " \u00B7 " + message.language + (message.viaMarketingMessages ? " \u00B7 marketing" : "")));
          const time = el("time", null, new Date(message.acceptedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
          time.dateTime = message.acceptedAt;
          meta.append(time, tick(message));
          bubble.append(meta);
          article.append(bubble);
          if (message.buttons.length > 0) {
            const buttons = el("div", "buttons");
            for (const button of message.buttons) {
              const node = el("div", "button", button.text);
              if (button.url) node.append(el("div", "button-url", button.url));
              buttons.append(node);
            }
            article.append(buttons);
          }
          return article;
        }

        function render(state) {
          const root = document.getElementById("chats");
          const chats = state && state.chats ? state.chats : [];
          const messages = chats.reduce((n, chat) => n + chat.messages.length, 0);
          document.getElementById("summary").textContent =
            chats.length + " recipients, " + messages + " messages; updated " + new Date().toLocaleTimeString();
          const phones = chats.map(chat => {
            const phone = el("section", "phone");
            phone.dataset.recipient = chat.recipient;
            const bar = el("header", "phone-bar");
            const who = el("div");
            who.append(el("div", "contact", "+" + chat.recipient), el("div", "sub", chat.messages.length + " message" + (chat.messages.length === 1 ? "" : "s")));
            bar.append(el("div", "avatar", chat.recipient.slice(-2)), who);
            const list = el("div", "chat");
            for (const message of chat.messages) list.append(renderMessage(message));
            phone.append(bar, list);
            return phone;
          });
          if (phones.length === 0) {
            phones.push(el("p", "empty", "No messages yet: send a campaign to " + location.origin + " (see whatsapp-channel sandbox)."));
          }
          root.replaceChildren(...phones);
        }

        render(JSON.parse(document.getElementById("state").textContent));

        async function poll() {
          try {
            const response = await fetch("/_sandbox/chats", { cache: "no-store" });
            if (response.ok) render(await response.json());
          } catch (e) {
            // The sandbox stopped or restarts: keep the last view and try again.
          }
          setTimeout(poll, 1000);
        }
        setTimeout(poll, 1000);
        </script>
        </body>
        </html>
        """;
}
