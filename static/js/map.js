/*
 * Draws every [data-map] element with Leaflet from the JSON that json_script put in
 * the page (shape: public/maps.py). Markers and lines need no network; the tile layer
 * is a background that may fail to load without breaking them.
 */
(function () {
  "use strict";

  var MANY = 500; // past this, draw on one canvas instead of one SVG element per marker

  function link(url, text) {
    // Names are staff-typed text: build DOM nodes, never HTML strings.
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  // Bring a longitude within 180 degrees of a reference one, so that a line from
  // Tokyo to San Francisco crosses the Pacific rather than the whole map.
  function near(lng, reference) {
    while (lng - reference > 180) lng -= 360;
    while (lng - reference < -180) lng += 360;
    return lng;
  }

  // The world's land outline, served with the app, in a pane beneath the tiles: when
  // the tile server answers its opaque tiles cover it; when it does not (no network,
  // blocked), the reader still sees continents under the markers.
  function drawLand(map, url, element) {
    var pane = map.createPane("land");
    pane.style.zIndex = 150; // tiles are at 200, lines and markers at 400+
    pane.style.pointerEvents = "none";
    fetch(url)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (land) {
        if (!land) return;
        L.geoJSON(land, {
          pane: "land",
          interactive: false,
          style: { color: "#b7c4cc", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 },
        }).addTo(map);
        element.dataset.landDrawn = "true";
      })
      .catch(function () {
        /* The outline is decoration: without it the markers and lines still stand. */
      });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.map);
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var cities = data.cities || [];
    var focus = data.focus;
    var map = L.map(element, {
      preferCanvas: cities.length > MANY,
      scrollWheelZoom: false,
      worldCopyJump: focus === null || focus === undefined,
      zoomControl: false,
    });
    // The zoom buttons' names come from the page, in the page's language.
    L.control
      .zoom({
        zoomInTitle: element.dataset.zoomInTitle || "Zoom in",
        zoomOutTitle: element.dataset.zoomOutTitle || "Zoom out",
      })
      .addTo(map);

    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }
    if (element.dataset.landUrl) {
      drawLand(map, element.dataset.landUrl, element);
    }

    var cityUrl = element.dataset.cityUrl || "";
    var hasFocus = typeof focus === "number" && cities[focus];
    var points = cities.map(function (city) {
      var lng = hasFocus ? near(city[1], cities[focus][1]) : city[1];
      return L.latLng(city[0], lng);
    });

    (data.links || []).forEach(function (pair) {
      L.polyline([points[pair[0]], points[pair[1]]], {
        className: "city-link",
        color: "#0f6e6e",
        weight: 1.5,
        opacity: 0.55,
        interactive: false,
      }).addTo(map);
    });

    cities.forEach(function (city, index) {
      var isFocus = index === focus;
      var marker = L.circleMarker(points[index], {
        className: "city-marker" + (isFocus ? " city-marker--focus" : ""),
        radius: isFocus ? 9 : cities.length > MANY ? 3 : 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: isFocus ? "#b3261e" : "#0b4f6c",
        fillOpacity: 0.9,
      }).addTo(map);
      var label = document.createElement("span");
      label.textContent = city[2];
      marker.bindTooltip(label);
      marker.bindPopup(link(cityUrl.replace("__slug__", encodeURIComponent(city[3])), city[2]));
    });

    if (points.length === 1) {
      map.setView(points[0], 6);
    } else if (points.length > 1) {
      map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 7 });
    } else {
      map.setView([20, 0], 1);
    }
    // Tests and screen-reader users can read what was drawn.
    element.dataset.markersDrawn = String(cities.length);
    element.dataset.linesDrawn = String((data.links || []).length);
    element.classList.add("map--ready");
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
