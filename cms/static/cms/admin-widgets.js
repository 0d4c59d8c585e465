/* Starts Wagtail's date and time pickers, inline panels and choosers from data attributes, where Wagtail writes
   inline scripts (CSP, wagtail#1288; the markers come from cms/templates/wagtailadmin and cms/admin_scripts.py). */
(() => {
  const PICKERS = new Set(["initDateChooser", "initTimeChooser", "initDateTimeChooser"]);
  const start = (marker) => {
    const init = window[marker.dataset.adminPicker];
    if (!PICKERS.has(marker.dataset.adminPicker) || typeof init !== "function" || marker.dataset.started) return;
    marker.dataset.started = "1";
    init(marker.dataset.for, JSON.parse(marker.dataset.config));
  };
  const PANELS = new Set(["InlinePanel", "MultipleChooserPanel"]);
  const startPanel = (marker) => {
    const Panel = window[marker.dataset.adminPanel];
    if (!PANELS.has(marker.dataset.adminPanel) || typeof Panel !== "function" || marker.dataset.started) return;
    marker.dataset.started = "1";
    new Panel(JSON.parse(marker.dataset.options));
  };
  const CHOOSERS = new Set(["Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser"]);
  const startChooser = (marker) => {
    const name = marker.dataset.adminChooser;
    if (marker.dataset.started || typeof window[name] !== "function") return;
    if (name === "createTaskChooser") {
      marker.dataset.started = "1";
      window.createTaskChooser(marker.dataset.for);
    } else if (CHOOSERS.has(name)) {
      marker.dataset.started = "1";
      new window[name](marker.dataset.for, JSON.parse(marker.dataset.options));
    }
  };
  const scan = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("[data-admin-picker]")) start(node);
    node.querySelectorAll("[data-admin-picker]").forEach(start);
    if (node.matches("[data-admin-panel]")) startPanel(node);
    node.querySelectorAll("[data-admin-panel]").forEach(startPanel);
    if (node.matches("[data-admin-chooser]")) startChooser(node);
    node.querySelectorAll("[data-admin-chooser]").forEach(startChooser);
  };
  // Dialogs and filters are added to the page later (Wagtail moves or fetches their HTML): watch for them.
  document.addEventListener("DOMContentLoaded", () => {
    scan(document.body);
    new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach(scan)))
      .observe(document.body, { childList: true, subtree: true });
  });
})();
