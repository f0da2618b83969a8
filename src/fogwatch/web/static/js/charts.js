// Figure-series charts: every <canvas class="series-chart" data-series-url="..."> gets a
// line chart of the series the URL returns (one line per source). Hovering a point
// shows its sentence; clicking it opens the article at the figure.
(function () {
  "use strict";

  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
  var FLAG_COLOUR = "#b00020";
  var WRAP = 70; // characters per tooltip line: about the width of a small chart

  function wrap(text, width) {
    var words = String(text || "").split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if ((line + " " + w).trim().length > width && line) { lines.push(line); line = w; }
      else { line = (line + " " + w).trim(); }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function draw(canvas, series) {
    var dates = {};
    series.forEach(function (s) {
      s.points.forEach(function (p) { dates[p.date || "undated"] = true; });
    });
    var labels = Object.keys(dates).sort();
    var datasets = series.map(function (s, i) {
      var colour = PALETTE[i % PALETTE.length];
      return {
        label: s.label,
        data: s.points.map(function (p) { return { x: p.date || "undated", y: p.value, point: p }; }),
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: s.points.map(function (p) { return p.flag ? 7 : 4; }),
        pointStyle: s.points.map(function (p) { return p.flag ? "crossRot" : "circle"; }),
        pointBorderColor: s.points.map(function (p) { return p.flag ? FLAG_COLOUR : colour; }),
        pointBorderWidth: s.points.map(function (p) { return p.flag ? 3 : 1; }),
        tension: 0
      };
    });
    var chart = new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: true },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: {
          legend: { display: datasets.length > 1 || canvas.closest(".small") === null },
          tooltip: {
            callbacks: {
              title: function (items) {
                var p = items[0].raw.point;
                return p.value.toLocaleString() + (p.bound && p.bound !== "exact" ? " (" + p.bound + ")" : "") +
                  " — " + items[0].dataset.label + ", " + (p.date || "undated");
              },
              label: function (item) { return wrap(item.raw.point.sentence, WRAP); },
              footer: function (items) {
                var p = items[0].raw.point;
                return p.flag ? "⚑ " + p.flag : (p.outlet || "");
              }
            }
          }
        },
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var el = elements[0];
          var p = chart.data.datasets[el.datasetIndex].data[el.index].point;
          window.location.href = "/articles/" + encodeURIComponent(p.article_id) + "#figure-" + p.idx;
        }
      }
    });
    canvas.setAttribute("data-rendered", String(labels.length));
  }

  function load(canvas) {
    fetch(canvas.getAttribute("data-series-url"), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (body) { draw(canvas, body.data); })
      .catch(function (err) {
        var note = document.createElement("p");
        note.className = "empty";
        note.textContent = "Chart unavailable: " + err.message;
        canvas.replaceWith(note);
      });
  }

  document.querySelectorAll("canvas.series-chart").forEach(load);
})();
