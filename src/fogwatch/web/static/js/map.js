// Offline map: Natural Earth country outlines (world-atlas TopoJSON) drawn by Leaflet,
// no tile server. Places and events come from the JSON API; popups are built as DOM
// text nodes, never from HTML strings.
(function () {
  "use strict";

  // Zoom when fitting the markers: 5 keeps a region and its neighbours in view, so a
  // handful of nearby places still shows where in the world they are.
  var MAX_FIT_ZOOM = 5;
  var el = document.getElementById("map");
  if (!el) { return; }

  var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  map.setView([20, 20], 2);

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }

  function popup(lines, link) {
    var box = document.createElement("div");
    lines.forEach(function (line, i) {
      if (!line) { return; }
      var p = document.createElement(i === 0 ? "strong" : "div");
      p.textContent = line;
      box.appendChild(p);
    });
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      box.appendChild(a);
    }
    return box;
  }

  var bounds = [];

  function addPlaces(body) {
    var layer = L.layerGroup().addTo(map);
    body.data.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], {
        radius: Math.min(8 + Math.sqrt(p.mentions) * 2, 18), color: "#1f4e79", weight: 1,
        fillColor: "#2f80ed", fillOpacity: 0.6, className: "marker-place"
      });
      m.bindPopup(popup([p.name, (p.kind || "place") + (p.country_code ? ", " + p.country_code : ""),
        p.mentions + " mention(s) in " + p.articles + " article(s)"],
        { href: "/timeline?place=" + encodeURIComponent(p.name), text: "events here" }));
      m.addTo(layer);
      bounds.push([p.lat, p.lon]);
    });
    return layer;
  }

  function addEvents(body) {
    var layer = L.layerGroup().addTo(map);
    body.data.forEach(function (e) {
      var m = L.circleMarker([e.lat, e.lon], {
        radius: 5, color: "#7a0019", weight: 2, fillColor: "#d62728", fillOpacity: 0.8, className: "marker-event"
      });
      m.bindPopup(popup([e.type + (e.mode ? " · " + e.mode : ""), e.text, e.day || "undated"],
        { href: "/events/" + e.id, text: "event page" }));
      m.addTo(layer);
      bounds.push([e.lat, e.lon]);
    });
    return layer;
  }

  getJSON(el.getAttribute("data-countries-url")).then(function (topo) {
    var land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, {
      style: { color: "#8a8f98", weight: 0.7, fillColor: "#eef0e8", fillOpacity: 1, className: "country" },
      interactive: false
    }).addTo(map);
    el.setAttribute("data-countries", String(land.features.length));
    return Promise.all([getJSON(el.getAttribute("data-places-url")), getJSON(el.getAttribute("data-events-url"))]);
  }).then(function (results) {
    var places = addPlaces(results[0]);
    var events = addEvents(results[1]);
    L.control.layers(null, { "places": places, "events": events }, { collapsed: false }).addTo(map);
    if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: MAX_FIT_ZOOM }); }
    el.setAttribute("data-markers", String(bounds.length));
  }).catch(function (err) {
    var note = document.createElement("p");
    note.className = "empty";
    note.textContent = "Map data unavailable: " + err.message;
    el.after(note);
  });
})();
