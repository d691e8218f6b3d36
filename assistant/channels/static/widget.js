/* Shopping-assistant launcher: paste
 *   <script src="https://YOUR-ASSISTANT-HOST/widget.js" defer></script>
 * into any page. It adds a floating "Chat with us" button that opens the assistant
 * (served by the same host, at /chat/) in a panel. No third-party requests.
 */
(function () {
  if (window.__shopAssistantWidget) return;
  window.__shopAssistantWidget = true;
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : window.location.href).href;
  var title = (script && script.dataset.title) || "Chat with us";

  var style = document.createElement("style");
  style.textContent =
    "#sa-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;" +
    "padding:14px 20px;background:#1d4ed8;color:#fff;font:600 15px/1 system-ui,sans-serif;cursor:pointer;" +
    "box-shadow:0 6px 20px rgba(0,0,0,.25)}#sa-launcher:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    "#sa-panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:min(420px,calc(100vw - 40px));" +
    "height:min(640px,calc(100vh - 110px));background:#fff;border-radius:14px;overflow:hidden;" +
    "box-shadow:0 12px 40px rgba(0,0,0,.3);display:none;flex-direction:column}" +
    "#sa-panel[data-open=true]{display:flex}#sa-panel header{display:flex;align-items:center;justify-content:space-between;" +
    "padding:10px 14px;background:#1d4ed8;color:#fff;font:600 15px system-ui,sans-serif}" +
    "#sa-panel header button{background:transparent;border:0;color:#fff;font-size:20px;cursor:pointer}" +
    "#sa-panel iframe{flex:1;border:0;width:100%}";
  document.head.appendChild(style);

  var launcher = document.createElement("button");
  launcher.id = "sa-launcher";
  launcher.type = "button";
  launcher.textContent = title;
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "sa-panel");

  var panel = document.createElement("div");
  panel.id = "sa-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Shopping assistant");
  var header = document.createElement("header");
  header.innerHTML = '<span>Shopping assistant</span><button type="button" aria-label="Close the assistant">\u00d7</button>';
  panel.appendChild(header);

  var frame = null;
  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = base + "chat/";
      frame.title = "Shopping assistant chat";
      frame.allow = "microphone";
      panel.appendChild(frame);
    }
    panel.dataset.open = "true";
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
  }
  function close() {
    panel.dataset.open = "false";
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  launcher.addEventListener("click", function () {
    panel.dataset.open === "true" ? close() : open();
  });
  header.querySelector("button").addEventListener("click", close);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && panel.dataset.open === "true") close();
  });
  // "Add to cart" on a card: the chat (same host as this script) tells this page, which
  // hears it as a DOM event: window.addEventListener("shopassist:add-to-cart", e => e.detail)
  window.addEventListener("message", function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== new URL(base).origin) return;
    var data = e.data || {};
    if (data.type !== "shopassist:add-to-cart" || typeof data.productId !== "string") return;
    window.dispatchEvent(
      new CustomEvent("shopassist:add-to-cart", {detail: {productId: data.productId, quantity: Number(data.quantity) || 1}})
    );
  });
  document.body.appendChild(panel);
  document.body.appendChild(launcher);
})();
