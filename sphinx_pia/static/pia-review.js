// Filters for the 点検一覧 table (table.pia-filterable): rule, organization, severity.
// Rows carry classes pia-rule-*, pia-org-*, pia-sev-*; labels are read with textContent
// and written with textContent, never as HTML.  Without JavaScript the grouped lists remain.
(function () {
  "use strict";
  function options(rows, prefix, labelOf) {
    var seen = {}, out = [];
    rows.forEach(function (row) {
      row.classList.forEach(function (c) {
        if (c.indexOf(prefix) === 0 && !seen[c]) {
          seen[c] = true;
          out.push([c, labelOf(row)]);
        }
      });
    });
    return out;
  }
  function select(label, items, onChange) {
    var wrap = document.createElement("label");
    wrap.className = "pia-filter";
    wrap.appendChild(document.createTextNode(label + " "));
    var sel = document.createElement("select");
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "すべて";
    sel.appendChild(all);
    items.forEach(function (item) {
      var opt = document.createElement("option");
      opt.value = item[0];
      opt.textContent = item[1];
      sel.appendChild(opt);
    });
    sel.addEventListener("change", onChange);
    wrap.appendChild(sel);
    return [wrap, sel];
  }
  function text(row, cls) {
    var el = row.querySelector("." + cls);
    return el ? el.textContent.trim() : "";
  }
  function setup(table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var bar = document.createElement("div");
    bar.className = "pia-filter-bar";
    var count = document.createElement("span");
    count.className = "pia-filter-count";
    var selects = [];
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) { return !s.value || row.classList.contains(s.value); });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " / " + rows.length + " 件";
    }
    [["規則", "pia-rule-", function (r) { return text(r, "pia-rule-name"); }],
     ["実施機関", "pia-org-", function (r) { return text(r, "pia-org-name"); }],
     ["重大度", "pia-sev-", function (r) { return text(r, "sd-badge"); }]].forEach(function (spec) {
      var built = select(spec[0], options(rows, spec[1], spec[2]), apply);
      bar.appendChild(built[0]);
      selects.push(built[1]);
    });
    bar.appendChild(count);
    table.parentNode.insertBefore(bar, table);
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.pia-filterable").forEach(setup);
  });
})();
