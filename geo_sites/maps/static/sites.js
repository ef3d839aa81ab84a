/* geo-sites: draws the sites of a map page from its data (see geo_sites/maps/html.py).
 *
 * Every text from a report reaches the page through textContent, never as
 * HTML, and links are followed only for http(s) URLs.
 */
(function () {
  "use strict";
  if (window.geoSites) return; // a page with several maps (fragments) reads this once

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(href) {
    try {
      var url = new URL(href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // A popup: the site's name, then [[label, text]...] and [[source, href, note]...],
  // labels, texts and sources as numbers into the page's table of strings.
  function popupContent(title, popup, strings) {
    var box = el("div", "gs-popup");
    box.appendChild(el("div", "gs-popup-title", title));
    var list = el("dl");
    popup[0].forEach(function (line) {
      list.appendChild(el("dt", null, strings[line[0]]));
      list.appendChild(el("dd", null, strings[line[1]]));
    });
    box.appendChild(list);
    if (popup[1].length) {
      box.appendChild(el("div", "gs-popup-head", "Sources (" + popup[1].length + ")"));
      var sources = el("ol", "gs-sources");
      popup[1].forEach(function (source) {
        var item = el("li");
        var text = strings[source[0]];
        var href = source[1] ? safeHref(source[1]) : null;
        if (href) {
          var link = el("a", null, text);
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          item.appendChild(link);
        } else {
          item.appendChild(el("span", null, text));
        }
        if (source[2]) item.appendChild(el("div", "gs-quote", source[2]));
        sources.appendChild(item);
      });
      box.appendChild(sources);
    }
    if (popup[2] !== null && popup[2] !== undefined) {
      var details = el("details", "gs-details");
      details.appendChild(el("summary", null, "Details of the placing"));
      details.appendChild(el("div", null, strings[popup[2]]));
      box.appendChild(details);
    }
    return box;
  }

  function control(map, position, className, build) {
    var box = L.control({ position: position });
    box.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      build(div);
      return div;
    };
    box.addTo(map);
    return box;
  }

  function swatch(colour, radius, dashed) {
    var size = Math.ceil(2 * radius + 2);
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    var circle = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    circle.setAttribute("cx", size / 2);
    circle.setAttribute("cy", size / 2);
    circle.setAttribute("r", radius);
    circle.setAttribute("fill", colour);
    circle.setAttribute("fill-opacity", dashed ? "0.15" : "0.85");
    circle.setAttribute("stroke", dashed ? colour : "#ffffff");
    if (dashed) circle.setAttribute("stroke-dasharray", "3 2");
    svg.appendChild(circle);
    return svg;
  }

  // A ring whose edge takes the colours in turn, as the edge of an area they share.
  function stripes(colours, fill) {
    var svg = swatch(fill, 8, true);
    var ring = svg.firstChild;
    ring.setAttribute("stroke", "none");
    var length = 2 * Math.PI * 8, dash = length / (2 * colours.length);
    colours.forEach(function (colour, i) {
      var arc = ring.cloneNode(false);
      arc.setAttribute("fill", "none");
      arc.setAttribute("stroke", colour);
      arc.setAttribute("stroke-width", "2.5");
      arc.setAttribute("stroke-dasharray", dash + " " + dash * (colours.length - 1));
      arc.setAttribute("stroke-dashoffset", String(-dash * i));
      svg.appendChild(arc);
    });
    return svg;
  }

  // A row of the legend that switches a layer: its box, its swatch and its text.
  function switchRow(map, layer, swatchNode, text, changed) {
    var row = el("label", "gs-legend-row gs-legend-switch");
    var box = el("input");
    box.type = "checkbox";
    box.checked = map.hasLayer(layer);
    box.addEventListener("change", function () {
      if (box.checked) map.addLayer(layer); else map.removeLayer(layer);
      changed();
    });
    row.appendChild(box);
    if (swatchNode) row.appendChild(swatchNode);
    row.appendChild(el("span", null, text));
    return row;
  }

  // The legend, which is also the layer switch: a box for each category and the place
  // names.  It opens and closes by its heading, and starts closed on a narrow map.
  function legend(map, data, used, groups, labels, changed) {
    return control(map, "topright", "gs-legend leaflet-bar", function (div) {
      var head = el("button", "gs-legend-toggle", "Legend");
      head.type = "button";
      var body = el("div", "gs-legend-body");
      function show(open) {
        div.classList.toggle("gs-closed", !open);
        head.setAttribute("aria-expanded", String(open));
      }
      head.addEventListener("click", function () {
        show(div.classList.contains("gs-closed"));
      });
      show(map.getSize().x >= NARROW);
      div.style.maxHeight = Math.max(map.getSize().y - 60, 80) + "px"; // scrolls, in the map
      div.appendChild(head);
      div.appendChild(body);
      if (data.colorBy) body.appendChild(el("div", "gs-legend-head", data.colorBy));
      data.categories.forEach(function (category, i) {
        body.appendChild(switchRow(map, groups[i], swatch(category[1], 6, false),
          category[0] + " (" + category[2] + ")", changed));
      });
      if (data.labels.length) {
        body.appendChild(switchRow(map, labels, null, "Place names", function () {}));
      }
      if (data.sizeKey.length) {
        body.appendChild(el("div", "gs-legend-head", data.sizeBy));
        var sizes = el("div", "gs-legend-sizes");
        data.sizeKey.forEach(function (key) {
          var cell = el("div", "gs-legend-size");
          cell.appendChild(swatch("#777777", key[1], false));
          cell.appendChild(el("span", null, key[0].toLocaleString("en")));
          sizes.appendChild(cell);
        });
        body.appendChild(sizes);
      }
      if (used.area || used.near || used.shared.length) {
        body.appendChild(el("div", "gs-legend-head", "Location"));
      }
      if (used.area) {
        var area = el("div", "gs-legend-row");
        area.appendChild(swatch("#555555", 8, true));
        area.appendChild(el("span", null, "area: known only to a region"));
        body.appendChild(area);
      }
      if (used.shared.length) {
        var shared = el("div", "gs-legend-row");
        shared.appendChild(stripes(used.shared.filter(function (c, i, all) {
          return all.indexOf(c) === i;
        }), data.shared));
        shared.appendChild(el("span", null, "edge in turns: several kinds of event in one region"));
        body.appendChild(shared);
      }
      if (used.near) {
        var near = el("div", "gs-legend-row");
        near.appendChild(swatch("#555555", 8, true));
        near.appendChild(el("span", null, "circle: near a place"));
        body.appendChild(near);
      }
      if (data.missing) {
        body.appendChild(el("div", "gs-legend-missing", data.missing.toLocaleString("en") +
          (data.missing === 1 ? " site has" : " sites have") + " no location: not shown"));
      }
    });
  }

  // Labels that overlap a label before them (the places' come first), a control or a
  // site's marker, or that the map's edge cuts, are hidden until a zoom or a pan gives them
  // room; a site's name stands beside its own marker.  Names keep a few pixels apart.
  var GAP = 3;
  function declutter(map, labels) {
    var container = map.getContainer();
    function boxes(selector) {
      return Array.prototype.map.call(container.querySelectorAll(selector), function (node) {
        return node.getBoundingClientRect();
      });
    }
    var taken = boxes(".leaflet-control, .gs-title");
    var markers = boxes(".gs-cluster, path.gs-point");
    function clash(a, b, gap) {
      return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap &&
        b.top < a.bottom + gap;
    }
    var frame = container.getBoundingClientRect();
    labels.forEach(function (label) {
      var node = label.tooltip.getElement();
      if (!node) return;
      node.style.visibility = "";
      var box = node.getBoundingClientRect();
      var at = map.latLngToContainerPoint(label.tooltip.getLatLng());
      var x = frame.left + at.x, y = frame.top + at.y;
      var cut = box.left < frame.left || box.right > frame.right || box.top < frame.top ||
        box.bottom > frame.bottom; // a name cut by the map's edge is no name
      var hidden = cut || taken.some(function (other) { return clash(box, other, GAP); }) ||
        markers.some(function (other) {
          var own = label.place && other.left <= x && x <= other.right && other.top <= y &&
            y <= other.bottom;
          return !own && clash(box, other, 0);
        });
      node.style.visibility = hidden ? "hidden" : "";
      if (!hidden) taken.push(box);
    });
  }

  // The view of the sites, clear of the title, the legend and the caption: the legend
  // keeps a band at the top or at the right, whichever leaves the sites the larger view.
  function fit(map, data, title, legendBox, caption) {
    var size = map.getSize(), box = legendBox.getContainer();
    var bottom = 20 + Math.min(caption.getContainer().offsetHeight, size.y / 4);
    // Paddings that clear the legend, or null when the map is too small for them to.
    function padding(beside) {
      var top = title.offsetHeight + 16, right = 20, left = 20, low = bottom;
      if (beside) right += box.offsetWidth; else top = Math.max(top, box.offsetHeight + 16);
      if (left + right > size.x * 0.6 || top + low > size.y * 0.6) return null;
      return { paddingTopLeft: [left, top], paddingBottomRight: [right, low] };
    }
    var bounds = L.latLngBounds(data.bounds);
    function zoom(pad) {
      return pad ? map.getBoundsZoom(bounds, false, L.point(pad.paddingTopLeft).add(
        pad.paddingBottomRight)) : -Infinity;
    }
    var above = padding(false), beside = padding(true);
    var chosen = zoom(beside) > zoom(above) ? beside : above;
    if (!chosen) { // a small map: room for the sites first, the title's band kept
      var top = Math.min(title.offsetHeight + 16, size.y * 0.3);
      chosen = { paddingTopLeft: [10, top], paddingBottomRight: [10, 10] };
    }
    map.fitBounds(bounds, L.extend({ maxZoom: 11, animate: false }, chosen));
  }

  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = Math.round(26 + 6 * Math.log10(n));
    return L.divIcon({
      html: "<div><span>" + Number(n) + "</span></div>",
      className: "marker-cluster gs-cluster",
      iconSize: L.point(size, size),
    });
  }

  var STRIPE = 10; // px: each colour's dash along the edge of an area several categories share
  var NARROW = 600; // px: a map narrower than this starts with its legend closed

  function day(value) {
    return new Date(value * 864e5).toISOString().slice(0, 10);
  }

  // Headless browsers (screenshots) and print get a still page: no animation.
  var still = navigator.webdriver || /Headless/.test(navigator.userAgent) ||
    (window.matchMedia !== undefined && window.matchMedia("print").matches);

  // data-ready on a map's element when it is drawn, and on the root element when all are.
  var drawing = 0;
  function draw(map, groups, labels, data) {
    var container = map.getContainer();
    var drawn = false, built = false, loaded = false, tidy = null;
    drawing += 1;
    // Once the map is built and its markers are in; the labels then give way to them.
    function ready() {
      if (drawn || !built) return;
      drawn = true;
      tidy();
      container.setAttribute("data-gs-ready", "1");
      container.setAttribute("data-ready", "true");
      drawing -= 1;
      if (!drawing) document.documentElement.setAttribute("data-ready", "true");
    }
    if (still) {
      map._zoomAnimated = map._fadeAnimated = false;
      map.options.fadeAnimation = false;
      map.options.markerZoomAnimation = false;
    }
    // Without tiles the base holds nothing finer than a town's streets: zoom 12 (about
    // 25 m a pixel) is the deepest, and clusters are made for 13 zoom levels, not 19.
    // It can also fit the sites at a quarter of a zoom level: no tile to blur.
    if (map.options.maxZoom === undefined) {
      map.setMaxZoom(12);
      map.options.zoomSnap = 0.25;
    }
    map.fitBounds(data.bounds, { maxZoom: 11, animate: false }); // again below, clear of the controls
    var canvas = data.sites.length > 3000;
    var pointRenderer = canvas ? L.canvas({ padding: 0.5 }) : L.svg({ padding: 0.5 });
    map.createPane("gs-areas").style.zIndex = 350;
    var areaRenderer = L.svg({ pane: "gs-areas", padding: 0.5 });
    var points = data.cluster
      ? L.markerClusterGroup({
          maxClusterRadius: 35,
          showCoverageOnHover: false,
          spiderfyOnMaxZoom: true,
          animate: !still,
          chunkedLoading: true, // in slices of 200 ms: quicker, and the page stays live
          chunkProgress: function (done, total) {
            if (done === total) { loaded = true; ready(); }
          },
          iconCreateFunction: clusterIcon,
        })
      : L.featureGroup();
    points.addTo(map);
    var used = { area: false, near: false, shared: [] };
    var together = {}; // the sites of each area, for its one popup
    var drawnAreas = {}; // one layer for each area and category: { layer, count }
    var outlines = {}; // a boundary's rings, read once for the categories that share it
    function outline(number) {
      var shape = data.areas[number];
      return outlines[number] = outlines[number] || L.GeoJSON.coordsToLatLngs(
        shape.coordinates, shape.type === "Polygon" ? 1 : 2);
    }
    var sites = data.sites.map(function (site, index) {
      var lat = site[0], lon = site[1], cat = site[2], shape = site[4];
      var colour = data.categories[cat][1];
      var area = shape === "circle" || shape === "boundary";
      // Areas that coincide (three reports about one region) share one popup.
      var key = area ? [shape, lat, lon, site[5]].join() : index;
      (together[key] = together[key] || []).push(index);
      var layer, extra = null, shared = null;
      if (!area) {
        layer = L.circleMarker([lat, lon], {
          renderer: pointRenderer, radius: site[3], color: "#ffffff", weight: 1,
          fillColor: colour, fillOpacity: 0.85, className: "gs-point",
        });
        if (shape === "near") {
          used.near = true;
          extra = L.circle([lat, lon], {
            renderer: areaRenderer, pane: "gs-areas", radius: site[5], color: colour,
            weight: 1, dashArray: "4 4", fillOpacity: 0.05, interactive: false,
            className: "gs-near",
          });
        }
        layer.gsSite = index; // its popup and tooltip are made when first wanted (below)
        return { cat: cat, day: site[6], layer: layer, extra: extra, shared: null, on: false };
      }
      // An area several categories share: their colours take turns along its edge
      // (site[8] is this one's turn of site[9]); one grey fill under them all.  The sites
      // of one category at one area share its layer: thousands of reports of a region
      // are one outline, not thousands.
      var part = site[8] || 0, parts = site[9] || 1;
      if (parts > 1) used.shared.push(colour); else used.area = true;
      shared = drawnAreas[key + "|" + cat];
      if (!shared) {
        var style = parts > 1 ? {
          renderer: areaRenderer, pane: "gs-areas", color: colour, weight: 3,
          dashArray: STRIPE + " " + STRIPE * (parts - 1), dashOffset: String(-STRIPE * part),
          fillColor: data.shared, fillOpacity: part === 0 ? 0.12 : 0, className: "gs-area",
        } : {
          renderer: areaRenderer, pane: "gs-areas", color: colour, weight: 2,
          dashArray: "6 4", fillColor: colour, fillOpacity: 0.14, className: "gs-area",
        };
        layer = shape === "circle"
          ? L.circle([lat, lon], L.extend({ radius: site[5] }, style))
          : L.polygon(outline(site[5]), style);
        bind(layer, together[key], shape);
        shared = drawnAreas[key + "|" + cat] = { layer: layer, count: 0 };
      }
      return { cat: cat, day: site[6], layer: shared.layer, extra: null, shared: shared, on: false };
    });

    // A point's popup and tooltip are bound when it is first hovered or clicked: ten
    // thousand points load without ten thousand popups and tooltips waiting.
    function first(event) {
      var layer = event.propagatedFrom || event.layer;
      if (!layer || layer.gsSite === undefined || layer.getPopup()) return;
      bind(layer, [layer.gsSite], data.sites[layer.gsSite][4]);
      if (event.type === "click") layer.openPopup(); else layer.openTooltip();
    }
    points.on("click mouseover", first);

    // A site's popup, of every site at its area, and its tooltip, their names.
    function bind(layer, indexes, shape) {
      layer.bindPopup(function () {
        var box = el("div", "gs-popups");
        indexes.forEach(function (i) {
          box.appendChild(popupContent(data.sites[i][7], data.popups[i], data.strings));
        });
        return box;
      }, { maxWidth: 360 });
      layer.bindTooltip(function () {
        var names = indexes.map(function (i) { return data.sites[i][7]; });
        return el("span", null, names.filter(function (n, i) {
          return names.indexOf(n) === i;
        }).join("; "));
      }, { sticky: shape !== "point" && shape !== "near" });
    }

    var limit = Infinity;
    // Shows the sites of the categories switched on, up to the timeline's date.
    // Returns whether the cluster layer is still adding markers.
    function refresh() {
      var add = [], remove = [];
      sites.forEach(function (site) {
        var on = map.hasLayer(groups[site.cat]) && (site.day === null || site.day <= limit);
        if (on === site.on) return;
        site.on = on;
        var group = groups[site.cat];
        if (site.shared) { // drawn while one of its sites is on
          site.shared.count += on ? 1 : -1;
          if (on && site.shared.count === 1) group.addLayer(site.layer);
          if (!on && site.shared.count === 0) group.removeLayer(site.layer);
        } else {
          (on ? add : remove).push(site.layer);
          if (site.extra) { if (on) group.addLayer(site.extra); else group.removeLayer(site.extra); }
        }
      });
      if (data.cluster) {
        if (remove.length) points.removeLayers(remove);
        if (add.length) points.addLayers(add);
      } else {
        remove.forEach(function (layer) { points.removeLayer(layer); });
        add.forEach(function (layer) { points.addLayer(layer); });
      }
      shown = sites.filter(function (s) { return s.on; }).length;
      return data.cluster && add.length > 0;
    }
    var shown = 0;

    // A label names a site's place (kind "place", beside it), an area (centred on it) or
    // a town to orient on (a dot, and its name beside it).
    var placed = data.labels.map(function (label) {
      var kind = label[3], area = kind === "area";
      var content = el("span", null, label[2]);
      if (kind === "town") content.insertBefore(el("span", "gs-town-dot"), content.firstChild);
      var tooltip = L.tooltip({
        permanent: true, direction: area ? "center" : "right",
        offset: area ? [0, 0] : kind === "town" ? [-3, 0] : [8, 0], interactive: false,
        className: "gs-label gs-label-" + kind,
      }).setLatLng([label[0], label[1]]).setContent(content);
      labels.addLayer(tooltip);
      return { tooltip: tooltip, place: kind === "place" };
    });

    var title = el("div", "gs-title");
    title.appendChild(el("div", "gs-title-main", data.title));
    if (data.subtitle) title.appendChild(el("div", "gs-title-sub", data.subtitle));
    container.appendChild(title);
    var legendBox = legend(map, data, used, groups, labels, function () {
      refresh();
      if (timelineText) timelineText();
    });
    // The title stands between the zoom buttons and the legend.
    title.style.maxWidth = Math.max(
      map.getSize().x - legendBox.getContainer().offsetWidth - 90, 160) + "px";
    var caption = control(map, "bottomleft", "gs-caption", function (div) {
      data.caption.forEach(function (line) { div.appendChild(el("div", null, line)); });
    });

    var timelineText = null;
    var days = data.timeline ? data.days : [];
    if (days.length) {
      control(map, "bottomleft", "gs-timeline leaflet-bar", function (div) {
        var text = el("div", "gs-timeline-text");
        var slider = el("input");
        slider.type = "range";
        slider.min = 0;
        slider.max = days.length - 1;
        slider.value = days.length - 1;
        slider.setAttribute("aria-label", "Show sites up to this date");
        var undated = sites.filter(function (s) { return s.day === null; }).length;
        function describe() {
          text.textContent = "Events up to " + day(days[Number(slider.value)]) + ": " + shown +
            " of " + sites.length + " sites shown" +
            (undated ? " (" + undated + " undated, always shown)" : "");
        }
        slider.addEventListener("input", function () {
          limit = days[Number(slider.value)];
          refresh();
          describe();
        });
        div.appendChild(text);
        div.appendChild(slider);
        timelineText = describe;
      });
    }
    fit(map, data, title, legendBox, caption);
    tidy = function () { declutter(map, placed); };
    map.on("zoomend moveend resize", tidy);
    legendBox.getContainer().addEventListener("click", tidy);
    var adding = refresh();
    if (timelineText) timelineText();
    window.geoSites.maps.push({ map: map, points: points, groups: groups, sites: sites });
    built = true;
    if (!adding || loaded) ready();
  }

  window.geoSites = { draw: draw, maps: [] };
})();
