/* sphinx_pia: the reviewer-detail toggle.
 *
 * Reviewer detail (source lines 「原文 N行」, curator notes, evidence, extraction
 * notes) is marked .pia-detail by the renderer.  It is collapsed by default behind
 * one button per page, and the reader's choice is remembered across pages
 * (localStorage).  Without JavaScript nothing is hidden: the CSS hides details only
 * under html.pia-details-collapsed, which this script sets, so every detail stays
 * reachable; print always shows them (pia.css).
 */
(function () {
  "use strict";
  var KEY = "pia-details";
  var root = document.documentElement;
  var LABEL_SHOW = "原文との対応・注記を表示";
  var LABEL_HIDE = "原文との対応・注記を隠す";

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode: not remembered */ }
  }

  // Before the body is painted: collapsed unless the reader chose to see details.
  root.classList.toggle("pia-details-collapsed", stored() !== "shown");

  function mainRegion() {
    return document.querySelector("article[role=main], [role=main], main, .body") || document.body;
  }

  function setCollapsed(button, collapsed) {
    root.classList.toggle("pia-details-collapsed", collapsed);
    button.setAttribute("aria-expanded", collapsed ? "false" : "true");
    button.textContent = collapsed ? LABEL_SHOW : LABEL_HIDE;
  }

  // A link to an anchor inside a collapsed detail shows the details (not remembered).
  function revealTarget(button) {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.closest(".pia-detail") && root.classList.contains("pia-details-collapsed")) {
      setCollapsed(button, false);
      target.scrollIntoView();
    }
  }

  function init() {
    if (!document.querySelector(".pia-detail")) {
      root.classList.remove("pia-details-collapsed");
      return;
    }
    var region = mainRegion();
    if (!region.id) region.id = "pia-main-content";
    var bar = document.createElement("div");
    bar.className = "pia-detail-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pia-detail-toggle";
    button.setAttribute("aria-controls", region.id);
    bar.appendChild(button);
    // after the title and its breadcrumbs, before the content
    var heading = region.querySelector("h1");
    var after = heading;
    if (heading && heading.nextElementSibling && heading.nextElementSibling.matches("nav.pia-breadcrumbs")) after = heading.nextElementSibling;
    if (after && after.parentNode) after.parentNode.insertBefore(bar, after.nextSibling);
    else region.insertBefore(bar, region.firstChild);
    setCollapsed(button, root.classList.contains("pia-details-collapsed"));
    button.addEventListener("click", function () {
      var collapsed = !root.classList.contains("pia-details-collapsed");
      setCollapsed(button, collapsed);
      store(collapsed ? "hidden" : "shown");
    });
    revealTarget(button);
    window.addEventListener("hashchange", function () { revealTarget(button); });
  }

  // furo opens its navigation drawers and sub-menus with a hidden checkbox and a
  // <label> that only a pointer can reach.  Each such label becomes a button for the
  // keyboard (Tab, then Enter or Space), with its state and a Japanese name.
  var LABELS = {
    "__navigation": "サイト内ナビゲーションを開く・閉じる",
    "__toc": "このページの内容を開く・閉じる"
  };
  function keyboardLabels() {
    Array.prototype.forEach.call(document.querySelectorAll(
      "label.nav-overlay-icon, label.toc-overlay-icon, .sidebar-tree label[for^='toctree-checkbox']"), function (label) {
      var box = document.getElementById(label.htmlFor);
      if (!box || box.type !== "checkbox") return;
      label.setAttribute("role", "button");
      label.tabIndex = 0;
      if (!label.getAttribute("aria-label")) {
        label.setAttribute("aria-label", LABELS[box.id] || box.getAttribute("aria-label") || "開く・閉じる");
      }
      var sync = function () { label.setAttribute("aria-expanded", box.checked ? "true" : "false"); };
      sync();
      box.addEventListener("change", sync);
      label.addEventListener("click", function () { window.setTimeout(sync, 0); });
      label.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          box.click();
          sync();
        }
      });
    });
  }

  // Print every dropdown open (browsers without ::details-content in print CSS).
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  function start() {
    keyboardLabels();
    init();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
