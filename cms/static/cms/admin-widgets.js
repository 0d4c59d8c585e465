/* Starts Wagtail's date and time pickers from data attributes, where Wagtail writes inline scripts (CSP, wagtail#1288). */
(() => {
  const PICKERS = new Set(["initDateChooser", "initTimeChooser", "initDateTimeChooser"]);
  const start = (marker) => {
    const init = window[marker.dataset.adminPicker];
    if (!PICKERS.has(marker.dataset.adminPicker) || typeof init !== "function" || marker.dataset.started) return;
    marker.dataset.started = "1";
    init(marker.dataset.for, JSON.parse(marker.dataset.config));
  };
  const scan = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("[data-admin-picker]")) start(node);
    node.querySelectorAll("[data-admin-picker]").forEach(start);
  };
  // Dialogs and filters are added to the page later (Wagtail moves or fetches their HTML): watch for them.
  document.addEventListener("DOMContentLoaded", () => {
    scan(document.body);
    new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach(scan)))
      .observe(document.body, { childList: true, subtree: true });
  });
})();
