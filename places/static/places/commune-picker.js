/* Commune picker: enhances province/commune selects; the form works without it. */
(() => {
  let seq = 0;
  const getJSON = (url) => fetch(url).then((r) => { if (r.ok) return r.json(); throw r.status; });
  const el = (tag, props) => Object.assign(document.createElement(tag), props);
  function init(box) {
    const d = box.dataset, prov = box.querySelector("[name=province]"),
      com = box.querySelector("[name=commune]"), step = box.querySelector("[data-picker-step]");
    let loads = 0, searches = 0, timer;
    if (!prov || !com || !window.fetch) return;
    if (step) step.hidden = true;
    async function load(code, selected) {
      const mine = ++loads;
      while (com.options.length > 1) com.remove(1);
      if (!code) return;
      com.disabled = true;
      try {
        const data = await getJSON(d.communesUrl.replace("__code__", encodeURIComponent(code)));
        if (mine === loads) data.communes.forEach((c) => {
          com.add(new Option(c.name, c.code, false, c.code === selected));
        });
      } catch (e) { /* server validates */ }
      if (mine === loads) com.disabled = false;
    }
    prov.addEventListener("change", () => load(prov.value));
    if (prov.value && com.options.length < 2) load(prov.value, com.value);
    const input = el("input", { type: "search", id: "cp-q" + ++seq, autocomplete: "off" }),
      list = el("ul", { className: "commune-picker-results" }), wrap = el("div");
    list.setAttribute("aria-live", "polite");
    list.style.cssText = "list-style:none;padding:0";
    wrap.append(el("label", { htmlFor: input.id, textContent: d.searchLabel || "Search" }), input, list);
    box.insertBefore(wrap, box.firstChild);
    function show(results) {
      list.textContent = "";
      results.forEach((r) => {
        const li = el("li"), b = el("button", { type: "button", textContent: r.name + ", " + r.province_name });
        b.style.cssText = "display:block;width:100%;min-height:44px;text-align:left";
        b.onclick = async () => {
          list.textContent = "";
          prov.value = r.province_code;
          await load(r.province_code, r.code);
          com.value = r.code;
          com.dispatchEvent(new Event("change", { bubbles: true }));
          com.focus();
        };
        list.append(li);
        li.append(b);
      });
    }
    async function search() {
      const q = input.value.trim(), mine = ++searches;
      if (q.length < 2) return show([]);
      try {
        const data = await getJSON(d.searchUrl + "?q=" + encodeURIComponent(q));
        if (mine === searches) show(data.results);
      } catch (e) { /* selects still work */ }
    }
    input.oninput = () => { clearTimeout(timer); timer = setTimeout(search, 250); };
    input.onkeydown = (e) => {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(); }
    };
  }
  const start = () => document.querySelectorAll("[data-commune-picker]").forEach(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
