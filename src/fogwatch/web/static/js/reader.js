// Article reader: clicking a highlighted span selects its record in the side panel;
// the panel's links jump to the span (plain anchors, no script needed).
(function () {
  "use strict";

  var text = document.getElementById("article-text");
  if (!text) { return; }

  function select(id) {
    document.querySelectorAll(".rec.selected").forEach(function (r) { r.classList.remove("selected"); });
    var rec = document.getElementById(id);
    if (rec) {
      rec.classList.add("selected");
      rec.scrollIntoView({ block: "nearest" });
    }
  }

  text.addEventListener("click", function (event) {
    var mark = event.target.closest("mark.hl");
    if (!mark) { return; }
    select(mark.getAttribute("data-ref"));
  });

  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var mark = id && document.getElementById(id);
    if (mark && mark.classList.contains("hl")) {
      mark.classList.add("focused");
      select(mark.getAttribute("data-ref"));
    }
  }
  window.addEventListener("hashchange", function () {
    document.querySelectorAll("mark.focused").forEach(function (m) { m.classList.remove("focused"); });
    fromHash();
  });
  fromHash();
})();
