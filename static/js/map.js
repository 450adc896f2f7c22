/*
 * Draws every [data-map] element with Leaflet from the JSON that json_script put in
 * the page (shape: public/maps.py), or, for the home map, from the URL it names.
 *
 * Beneath the tiles lies the app's own map of the world (static/vendor/world:
 * Natural Earth countries, coasts, borders and country names): when the tile server
 * answers its opaque tiles cover it; when it does not (no network, blocked), the
 * reader still sees a map under the markers. Markers and lines need no network.
 *
 * Many cities (the home map: the whole world) are clustered with Leaflet.markercluster,
 * and a city's lines are drawn only while it is pointed at or selected.
 */
(function () {
  "use strict";

  var CLUSTER_AT = 150; // past this many markers, group nearby ones
  var LABELLED_UP_TO = 8; // up to this many markers, each shows its name
  var FIT_MAX_ZOOM = 5; // a page about one or two cities still shows their countries
  var WORLD_SOUTH = -58; // the map's world stops short of Antarctica...
  var WORLD_NORTH = 80; // ...and the Arctic ice, which Mercator makes huge
  var SEA = "#cfe3ee";
  var LINE = { color: "#0f6e6e", weight: 1.5, opacity: 0.6, interactive: false };
  var SELECTED_LINE = { color: "#b3261e", weight: 2, opacity: 0.8, interactive: false };

  function link(url, text) {
    // Names are staff-typed text: build DOM nodes, never HTML strings.
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  function textNode(tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  }

  // Bring a longitude within 180 degrees of a reference one, so that a line from
  // Tokyo to San Francisco crosses the Pacific rather than the whole map.
  function near(lng, reference) {
    while (lng - reference > 180) lng -= 360;
    while (lng - reference < -180) lng += 360;
    return lng;
  }

  // The short way from a to b on a map of one world copy: one segment, or two that
  // meet at the antimeridian, each ending on a marker.
  function shortWay(a, b) {
    var lngB = near(b.lng, a.lng);
    if (lngB >= -180 && lngB <= 180) return [[a, b]];
    var edge = lngB > 180 ? 180 : -180;
    var lat = a.lat + ((edge - a.lng) / (lngB - a.lng)) * (b.lat - a.lat);
    return [
      [a, L.latLng(lat, edge)],
      [L.latLng(lat, -edge), b],
    ];
  }

  function countryNamer() {
    var language = document.documentElement.lang || "en";
    try {
      var names = new Intl.DisplayNames([language, "en"], { type: "region" });
      return function (code, fallback) {
        if (!code) return fallback;
        try {
          return names.of(code) || fallback;
        } catch (error) {
          return language === "en" ? fallback : "";
        }
      };
    } catch (error) {
      return function (code, fallback) {
        return language === "en" ? fallback : "";
      };
    }
  }

  function shifted(coordinates, depth, offset) {
    if (depth === 0) return [coordinates[0] + offset, coordinates[1]];
    return coordinates.map(function (inner) {
      return shifted(inner, depth - 1, offset);
    });
  }

  // The world beneath the tiles, once per offset (0 and, for a map whose lines
  // cross the antimeridian, the copies to either side), with country names shown
  // from the zoom at which they fit.
  function drawWorld(map, url, element, offsets) {
    ["land", "world-labels"].forEach(function (name, index) {
      var pane = map.createPane(name);
      pane.style.zIndex = 150 + index; // tiles are at 200, lines and markers at 400+
      pane.style.pointerEvents = "none";
    });
    var renderer = L.canvas({ pane: "land", padding: 0.5 });
    var labels = L.layerGroup().addTo(map);
    var named = countryNamer();
    var countries = [];

    function showLabels() {
      var zoom = map.getZoom();
      var smallest = 300 / Math.pow(5, zoom - 1); // square degrees
      labels.clearLayers();
      countries.forEach(function (country) {
        // Named in the page's language by the browser, so only those with a code.
        if (country.area < smallest || !country.code || country.code === "AQ") return;
        var name = named(country.code, country.name);
        if (!name) return;
        offsets.forEach(function (offset) {
          var at = L.latLng(country.label[0], country.label[1] + offset);
          labels.addLayer(
            L.marker(at, {
              pane: "world-labels",
              interactive: false,
              keyboard: false,
              icon: L.divIcon({
                className: "map-country",
                html: textNode("span", "map-country__name", name),
                iconSize: null,
              }),
            })
          );
        });
      });
    }

    fetch(url)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (world) {
        if (!world) return;
        world.features.forEach(function (feature) {
          var kind = feature.properties.kind;
          var geometry = feature.geometry;
          var depth = geometry.type === "MultiPolygon" ? 3 : 2;
          offsets.forEach(function (offset) {
            var moved = {
              type: "Feature",
              properties: feature.properties,
              geometry: { type: geometry.type, coordinates: shifted(geometry.coordinates, depth, offset) },
            };
            var style =
              kind === "country"
                ? { stroke: false, fillColor: "#f4f1e8", fillOpacity: 1 }
                : kind === "border"
                ? { color: "#a79f8c", weight: 0.8, opacity: 1, fill: false }
                : { color: "#8fa9b8", weight: 0.8, opacity: 1, fill: false };
            style.renderer = renderer;
            style.pane = "land";
            style.interactive = false;
            L.geoJSON(moved, { style: style, interactive: false }).addTo(map);
          });
          if (kind === "country") countries.push(feature.properties);
        });
        countries.sort(function (a, b) {
          return b.area - a.area;
        });
        showLabels();
        map.on("zoomend", showLabels);
        element.dataset.landDrawn = "true";
      })
      .catch(function () {
        /* The background is decoration: without it the markers and lines still stand. */
      });
  }

  // The zoom at which the world, from WORLD_SOUTH to WORLD_NORTH, fills the box's
  // height (and, for a map of one world copy, its width): no strip at zoom 0.
  function fillingZoom(map, oneCopy) {
    var size = map.getSize();
    var north = map.project(L.latLng(WORLD_NORTH, 0), 0);
    var south = map.project(L.latLng(WORLD_SOUTH, 0), 0);
    var zoom = Math.log2(size.y / (south.y - north.y));
    if (oneCopy) zoom = Math.max(zoom, Math.log2(size.x / 256));
    return Math.max(0, Math.ceil(zoom * 4) / 4);
  }

  function draw(element, data) {
    var cities = data.cities || [];
    var links = data.links || [];
    var focus = data.focus;
    var hasFocus = typeof focus === "number" && !!cities[focus];
    var clustered = cities.length > CLUSTER_AT && typeof L.markerClusterGroup === "function";
    // One world copy for a map of the world; a map about one city (or a pair) is
    // drawn around it, its lines the short way, over the world's copies to either side.
    var reference = hasFocus ? focus : cities.length === 2 ? 0 : null;
    var oneCopy = reference === null;
    var map = L.map(element, {
      preferCanvas: cities.length > CLUSTER_AT,
      scrollWheelZoom: false,
      zoomControl: false,
      zoomSnap: 0.25,
      worldCopyJump: false,
      maxBounds: oneCopy
        ? L.latLngBounds([WORLD_SOUTH - 20, -180], [WORLD_NORTH + 5, 180])
        : L.latLngBounds([-85, -540], [85, 540]),
      maxBoundsViscosity: 1,
    });
    // The zoom buttons' names come from the page, in the page's language.
    L.control
      .zoom({
        zoomInTitle: element.dataset.zoomInTitle || "Zoom in",
        zoomOutTitle: element.dataset.zoomOutTitle || "Zoom out",
      })
      .addTo(map);

    var cityUrl = element.dataset.cityUrl || "";
    var points = cities.map(function (city) {
      var lng = oneCopy ? city[1] : near(city[1], cities[reference][1]);
      return L.latLng(city[0], lng);
    });

    var offsets = [0];
    points.forEach(function (point) {
      if (point.lng < -180 && offsets.indexOf(-360) < 0) offsets.push(-360);
      if (point.lng > 180 && offsets.indexOf(360) < 0) offsets.push(360);
    });

    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 18,
        noWrap: false,
      }).addTo(map);
    }
    if (element.dataset.landUrl) {
      drawWorld(map, element.dataset.landUrl, element, offsets);
    }

    // Partners of each city, for the lines drawn on demand.
    var partners = cities.map(function () {
      return [];
    });
    links.forEach(function (pair) {
      partners[pair[0]].push(pair[1]);
      partners[pair[1]].push(pair[0]);
    });

    // On the world map a city's lines (and its dot) go above the clusters (600), below
    // tooltips and popups; elsewhere lines lie under the dots, drawn before them.
    map.createPane("city-links").style.zIndex = 620;
    map.getPane("city-links").style.pointerEvents = "none";
    var linePane = clustered ? "city-links" : "overlayPane";
    var lines = L.layerGroup().addTo(map);
    var drawnLines = 0;
    function addLine(a, b, style) {
      var segments = oneCopy ? shortWay(points[a], points[b]) : [[points[a], points[b]]];
      segments.forEach(function (segment) {
        var options = L.extend({ className: "city-link", pane: linePane }, style);
        lines.addLayer(L.polyline(segment, options));
      });
      drawnLines += 1;
    }

    var selected = null;
    function showLinesOf(index) {
      lines.clearLayers();
      drawnLines = 0;
      [selected, index].forEach(function (which, order) {
        if (which === null || (order === 1 && which === selected)) return;
        partners[which].forEach(function (other) {
          addLine(which, other, which === selected ? SELECTED_LINE : LINE);
        });
      });
      if (selected !== null) {
        lines.addLayer(
          L.circleMarker(points[selected], {
            pane: "city-links",
            className: "city-marker city-marker--selected",
            radius: 7,
            color: "#ffffff",
            weight: 2,
            fillColor: "#b3261e",
            fillOpacity: 1,
            interactive: false,
          })
        );
      }
      element.dataset.linesDrawn = String(drawnLines);
    }

    if (!clustered) {
      links.forEach(function (pair) {
        addLine(pair[0], pair[1], LINE);
      });
    }

    var layer = clustered
      ? L.markerClusterGroup({
          chunkedLoading: true,
          chunkProgress: function (processed, total) {
            if (processed === total) element.dataset.clustered = "true";
          },
          showCoverageOnHover: false,
          spiderfyOnMaxZoom: true,
          maxClusterRadius: 45,
          // From this zoom on cities rarely overlap: fewer levels to build.
          disableClusteringAtZoom: 9,
          iconCreateFunction: function (cluster) {
            var count = cluster.getChildCount();
            var size = count < 10 ? "s" : count < 100 ? "m" : count < 1000 ? "l" : "xl";
            var px = { s: 26, m: 32, l: 38, xl: 46 }[size];
            return L.divIcon({
              className: "map-cluster map-cluster--" + size,
              html: textNode("span", "map-cluster__count", count.toLocaleString()),
              iconSize: L.point(px, px),
            });
          },
        })
      : L.layerGroup();

    function popupOf(index) {
      var popup = document.createElement("div");
      popup.appendChild(link(cityUrl.replace("__slug__", encodeURIComponent(cities[index][3])), cities[index][2]));
      return popup;
    }

    var markers = cities.map(function (city, index) {
      var isFocus = index === focus;
      var marker = L.circleMarker(points[index], {
        className: "city-marker" + (isFocus ? " city-marker--focus" : ""),
        radius: isFocus ? 9 : clustered ? 5 : 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: isFocus ? "#b3261e" : "#0b4f6c",
        fillOpacity: 0.9,
      });
      var few = cities.length <= LABELLED_UP_TO;
      // Tooltip and popup are built when first shown: thousands of markers stay cheap.
      marker.bindTooltip(few ? textNode("span", "", city[2]) : function () {
        return textNode("span", "", city[2]);
      }, {
        permanent: few,
        direction: few ? "right" : "auto",
        offset: few ? L.point(isFocus ? 8 : 5, 0) : L.point(0, 0),
        className: few ? "map-name" : "",
      });
      marker.bindPopup(function () {
        return popupOf(index);
      });
      if (clustered) {
        marker.on("mouseover", function () {
          showLinesOf(index);
        });
        marker.on("mouseout", function () {
          showLinesOf(null);
        });
        marker.on("click", function () {
          selected = index;
          showLinesOf(null);
        });
      }
      return marker;
    });
    if (clustered) {
      map.on("popupclose", function () {
        selected = null;
        showLinesOf(null);
      });
      layer.addLayers(markers);
    } else {
      markers.forEach(function (marker) {
        layer.addLayer(marker);
      });
    }
    // The minimum zoom first: the clusters are built for the zooms from it up.
    var minZoom = fillingZoom(map, oneCopy);
    map.setMinZoom(minZoom);
    layer.addTo(map);

    if (points.length === 1) {
      map.setView(points[0], FIT_MAX_ZOOM);
    } else if (points.length > 1) {
      // Room on the right for the names a small map writes beside its dots.
      var labelled = cities.length <= LABELLED_UP_TO;
      map.fitBounds(L.latLngBounds(points), {
        paddingTopLeft: [28, 28],
        paddingBottomRight: [labelled ? 110 : 28, 28],
        maxZoom: FIT_MAX_ZOOM,
      });
    } else {
      map.setView([20, 0], minZoom);
    }
    if (map.getZoom() < minZoom) map.setZoom(minZoom);
    map.on("resize", function () {
      map.setMinZoom(fillingZoom(map, oneCopy));
    });

    // Tests and screen-reader users can read what was drawn.
    element.dataset.markersDrawn = String(cities.length);
    element.dataset.linesDrawn = String(drawnLines);
    if (!clustered) element.dataset.clustered = "false";
    element.leafletMap = map;
    element.classList.add("map--ready");
    // Select a city by its slug, as a click on its marker would, and show it with
    // its partners (used by the tests; a page could link to it).
    element.mapSelect = function (slug) {
      for (var i = 0; i < cities.length; i++) {
        if (cities[i][3] !== slug) continue;
        var around = [points[i]].concat(
          partners[i].map(function (other) {
            return points[other];
          })
        );
        map.fitBounds(L.latLngBounds(around), { padding: [28, 28], maxZoom: FIT_MAX_ZOOM, animate: false });
        if (map.hasLayer(markers[i])) {
          markers[i].openPopup();
        } else {
          // Still inside a cluster at this zoom: the popup opens on its own.
          L.popup().setLatLng(points[i]).setContent(popupOf(i)).openOn(map);
        }
        selected = i;
        showLinesOf(null);
        return true;
      }
      return false;
    };
  }

  function load(element) {
    var source = document.getElementById(element.dataset.map);
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.source) {
      draw(element, data);
      return;
    }
    fetch(data.source, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (world) {
        draw(element, world);
      })
      .catch(function () {
        element.dataset.failed = "true";
      });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
