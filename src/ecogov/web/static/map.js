// The one map component (一张图) of the platform. Every map is a `region_map` macro
// (web/templates/_map.html): a <div class="ecogov-map"> and its configuration as JSON in a
// <script type="application/json" id="<map id>-config">, built in Python by
// ecogov.platform.maps. This module draws, for the configured region:
//   * the areas: the region's subdivisions (or the region itself when it has none), shaded by
//     the legends' absolute classes (never by the range of the data), clicking an area that has
//     subdivisions drills into it (config.drill, "{code}" replaced);
//   * point layers: any GeoJSON FeatureCollection of points behind a URL (or inline), coloured
//     by the layer's legend, switched on and off by the layer switcher; clicking a point opens
//     layer.link ("{code}"/"{id}" replaced);
//   * tooltips: every value put into a tooltip is escaped with echarts.format.encodeHTML, since
//     ECharts renders tooltip strings as HTML and names are typed in by users.
// Hooks (docs/map.md): window.ecogovMaps[id] has addLayer(layer), setAreas(areas),
// setFeatures(key, features) (a live page replaces a layer's points in place) and chart.
// config.pick {lon, lat} makes the map a form's point picker (docs/map.md).
// config.theme "dark" draws for a dark page (the command centre's big screen).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  const maps = {};
  window.ecogovMaps = maps;

  /** Text safe to put into a tooltip's HTML. */
  function escapeHtml(value) {
    return echarts.format.encodeHTML(value === null || value === undefined ? "" : String(value));
  }
  window.ecogovEscape = escapeHtml;

  async function fetchJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) { throw new Error(url + " → " + response.status); }
    return response.json();
  }

  /** The region's subdivisions, or the region itself when it has none (a county): an empty
   *  map makes ECharts fail ("Cannot read properties of null (reading '0')"). */
  async function boundaries(urls) {
    const children = await fetchJson(urls.children);
    if (children.features && children.features.length > 0) { return children; }
    return fetchJson(urls.self);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      (values[name] === undefined || values[name] === null ? whole : encodeURIComponent(values[name])));
  }

  /** The legend item a feature falls in: by its category key, else by its value's bounds. */
  function classify(legend, category, value) {
    if (!legend) { return null; }
    if (category !== null && category !== undefined) {
      const named = legend.items.find((item) => item.key === String(category));
      if (named) { return named; }
    }
    if (typeof value !== "number") { return null; }
    return legend.items.find((item) => (item.lower !== null || item.upper !== null)
      && (item.lower === null || value >= item.lower) && (item.upper === null || value <= item.upper)) || null;
  }

  function itemOf(legends, keys, category, value) {
    for (const key of keys) {
      const item = classify(legends[key], category, value);
      if (item) { return item; }
    }
    return null;
  }

  /** Colours of the areas' borders, labels and emphasis, by the page's theme. */
  const THEMES = {
    light: { border: "#0b6e4f", label: "#334e68", emphasis: "#8fd3b2", pointBorder: "#333" },
    dark: { border: "#4fd1c5", label: "#d9e2ec", emphasis: "#2c7a7b", pointBorder: "#0b1526" },
  };

  function mount(el) {
    const source = document.getElementById(el.id + "-config");
    if (!source) { return; }
    const config = JSON.parse(source.textContent);
    const dark = config.theme === "dark";
    const theme = THEMES[dark ? "dark" : "light"];
    const chart = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    const state = {
      geo: null, areaValues: [], areaLegends: config.areas.legends, unit: config.areas.unit,
      layers: [], loaded: {}, pick: null, drawn: false,
    };
    const api = {
      chart: chart, config: config, addLayer: addLayer, setAreas: setAreas, setFeatures: setFeatures,
      escape: escapeHtml,
    };
    maps[el.id] = api;
    if (!window.ecogovMap) { window.ecogovMap = chart; }  // the page's first map

    function areaTooltip(data, name) {
      let html = escapeHtml(name) + (data && data.code ? "（" + escapeHtml(data.code) + "）" : "");
      if (state.areaLegends.length > 0 || state.areaValues.length > 0) {
        const value = data && data.value !== null && data.value !== undefined ? data.value + " " + state.unit : "—";
        html += "<br>" + escapeHtml(value);
        const item = data ? itemOf(config.legends, state.areaLegends, data.category, data.value) : null;
        if (item) { html += "<br>" + escapeHtml(item.label); }
      }
      return html;
    }

    function pointTooltip(layer, props) {
      let html = "<b>" + escapeHtml(props.name) + "</b>";
      for (const [label, key] of layer.tooltip) {
        const value = props[key];
        html += "<br>" + escapeHtml(label) + "：" + escapeHtml(value === null || value === undefined || value === "" ? "—" : value);
      }
      return html;
    }

    function option() {
      const byCode = {};
      state.areaValues.forEach((v) => { byCode[v.code] = v; });
      const shaded = state.areaLegends.length > 0;
      const areas = state.geo.features.map((f) => {
        const p = f.properties;
        const v = byCode[p.code] || {};
        const value = v.value === undefined ? null : v.value;
        const item = itemOf(config.legends, state.areaLegends, v.category, value);
        const colour = shaded ? (item ? item.colour : config.noData) : config.areaColour;
        return {
          name: p.name, code: p.code, children: p.children, center: p.center,
          value: value, category: v.category === undefined ? null : v.category, colour: colour,
        };
      });
      const series = [{
        id: "areas", type: "map", geoIndex: 0, data: areas,
      }];
      state.layers.forEach((layer, index) => {
        const features = layer.visible ? (state.loaded[layer.key] || []) : [];
        series.push({
          id: "layer-" + layer.key, name: layer.title, type: "scatter", coordinateSystem: "geo",
          // The first layers (stations) stay above the later, denser ones (enterprises).
          symbolSize: layer.symbolSize || 10, z: 3 + state.layers.length - index,
          data: features.filter((f) => f.geometry && f.geometry.coordinates).map((f) => {
            const props = f.properties || {};
            const item = layer.legend ? classify(config.legends[layer.legend], props.category, props.value) : null;
            return {
              name: props.name, value: f.geometry.coordinates, props: props,
              itemStyle: { color: item ? item.colour : config.noData, borderColor: theme.pointBorder, borderWidth: 0.5 },
            };
          }),
        });
      });
      if (state.pick) {  // the point a form picked (config.pick), above every layer
        series.push({
          id: "pick", type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 36,
          z: 10, silent: true, tooltip: { show: false }, itemStyle: { color: "#d64545" },
          data: [{ name: "", value: state.pick }],
        });
      }
      return {
        backgroundColor: "transparent",
        tooltip: {
          trigger: "item",
          formatter: (p) => {
            if (p.seriesIndex === 0 || !p.data || !p.data.props) { return areaTooltip(p.data, p.name); }
            return pointTooltip(state.layers[p.seriesIndex - 1], p.data.props);
          },
        },
        geo: {
          map: state.mapName, roam: true, nameProperty: "name",
          label: { show: true, fontSize: 10, color: theme.label },
          itemStyle: { areaColor: config.areaColour, borderColor: theme.border, borderWidth: 1 },
          emphasis: { itemStyle: { areaColor: theme.emphasis }, label: { show: true } },
          select: { disabled: true },
          regions: areas.map((a) => ({ name: a.name, itemStyle: { areaColor: a.colour } })),
        },
        series: series,
      };
    }

    function draw() {
      chart.setOption(option(), true);
      state.drawn = true;
      syncLegends();
    }

    /** Redraws the series only (points, shades) on the same geo component: the reader's zoom
     *  and pan stay, and nothing of the map is built again. */
    function redraw() {
      if (!state.drawn) { return; }  // the first draw, soon, takes everything in
      chart.setOption({ series: option().series }, { replaceMerge: ["series"] });
      syncLegends();
    }

    function syncLegends() {
      const shown = new Set(state.areaLegends);
      state.layers.forEach((layer) => { if (layer.visible && layer.legend) { shown.add(layer.legend); } });
      const box = document.getElementById(el.id + "-legends");
      if (!box) { return; }
      box.querySelectorAll("[data-legend]").forEach((node) => { node.hidden = !shown.has(node.dataset.legend); });
    }

    async function load(layer) {
      if (state.loaded[layer.key]) { return; }
      const collection = layer.features ? { features: layer.features } : await fetchJson(fill(layer.url, { region: config.region }));
      state.loaded[layer.key] = collection.features || [];
      el.setAttribute("data-layer-" + layer.key, String(state.loaded[layer.key].length));
    }

    async function show(layer, visible) {
      layer.visible = visible;
      if (visible) { await load(layer); }
      if (state.geo) { draw(); }
    }

    function switcher(layer) {
      const box = document.getElementById(el.id + "-layers");
      if (!box) { return; }
      let input = box.querySelector("input[data-layer='" + CSS.escape(layer.key) + "']");
      if (!input) {
        const label = document.createElement("label");
        input = document.createElement("input");
        input.type = "checkbox";
        input.dataset.layer = layer.key;
        label.append(input, " " + layer.title);
        box.append(label);
        box.hidden = false;
      }
      input.checked = layer.visible;
      input.addEventListener("change", () => { show(layer, input.checked).catch(fail); });
    }

    /** Shows a legend that was not declared in Python (a layer plugged in at runtime). */
    function legendBlock(key, legend) {
      const box = document.getElementById(el.id + "-legends");
      if (!box || box.querySelector("[data-legend='" + CSS.escape(key) + "']")) { return; }
      const block = document.createElement("div");
      block.className = "legend";
      block.dataset.legend = key;
      const title = document.createElement("strong");
      title.textContent = legend.title || "";
      block.append(title);
      legend.items.forEach((item) => {
        const entry = document.createElement("span");
        const swatch = document.createElement("i");
        swatch.className = "swatch";
        swatch.style.background = item.colour;
        entry.dataset.key = item.key;
        entry.append(swatch, item.label);
        block.append(entry);
      });
      box.append(block);
    }

    /** Plugs a point layer in: {key, title, url | features, legend, link, tooltip, visible}. */
    function addLayer(layer) {
      const known = state.layers.find((existing) => existing.key === layer.key);
      if (known) { return show(known, layer.visible !== undefined ? layer.visible : known.visible); }
      const entry = Object.assign({ tooltip: [], visible: false, legend: null, link: null, features: null }, layer);
      if (entry.legend && !config.legends[entry.legend] && layer.legendData) {
        config.legends[entry.legend] = layer.legendData;
        legendBlock(entry.legend, layer.legendData);
      }
      state.layers.push(entry);
      switcher(entry);
      return show(entry, entry.visible);
    }

    /** Replaces the points of a layer (GeoJSON features) and redraws in place: a page that
     *  refreshes its data keeps one chart and one layer, never adds to them. */
    function setFeatures(key, features) {
      // Before the boundaries are drawn the layer is still only in the configuration.
      const layer = state.layers.find((known) => known.key === key)
        || config.layers.find((known) => known.key === key);
      if (!layer) { return; }
      layer.features = features;
      state.loaded[key] = features;
      el.setAttribute("data-layer-" + key, String(features.length));
      if (state.geo) { redraw(); }
    }

    /** Shades the areas anew: {url | values, legends: [legend keys], unit}. */
    async function setAreas(areas) {
      el.removeAttribute("data-ready");
      state.areaValues = areas.values || (areas.url ? await fetchJson(areas.url) : []);
      state.areaLegends = areas.legends || [];
      state.unit = areas.unit || "";
      if (state.geo) {
        draw();
        el.dataset.ready = config.region;
      }
    }

    function fail(error) {
      el.dataset.error = String(error);
      if (window.console) { console.warn("map " + el.id + ": " + error); }
    }

    chart.on("click", (p) => {
      if (p.seriesIndex === 0) {
        if (config.drill && p.data && p.data.children > 0) {
          window.location.assign(fill(config.drill, { code: p.data.code }));
        }
        return;
      }
      const layer = state.layers[p.seriesIndex - 1];
      if (layer && layer.link && p.data && p.data.props) {
        window.location.assign(fill(layer.link, p.data.props));
      }
    });
    window.addEventListener("resize", () => chart.resize());

    /** The page's controls of this map: inputs and selects with data-map-for="<map id>". */
    function controls() {
      return Array.from(document.querySelectorAll("[data-map-for='" + CSS.escape(el.id) + "']"));
    }

    /** The areas as the controls choose them: each control fills {<data-param>} of the URL;
     *  a selected option's data-legends and data-unit choose the legends and the unit. */
    function chosenAreas() {
      const params = { region: config.region };
      let legends = config.areas.legends;
      let unit = config.areas.unit;
      controls().forEach((control) => {
        params[control.dataset.param] = control.value;
        const option = control.tagName === "SELECT" ? control.options[control.selectedIndex] : null;
        if (option && option.dataset.legends !== undefined) { legends = option.dataset.legends.split(" ").filter(Boolean); }
        if (option && option.dataset.unit !== undefined) { unit = option.dataset.unit; }
      });
      return {
        url: config.areas.url ? fill(config.areas.url, params) : null,
        values: config.areas.url ? null : config.areas.values, legends: legends, unit: unit,
      };
    }

    controls().forEach((control) => {
      control.addEventListener("change", () => { setAreas(chosenAreas()).catch(fail); });
      if (control.form) { control.form.addEventListener("submit", (event) => event.preventDefault()); }
    });

    /** A form's point picker (config.pick: the ids of its longitude and latitude inputs): a
     *  click on the map writes the point into them and marks it; typing moves the mark. */
    function picker(pick) {
      const lon = document.getElementById(pick.lon);
      const lat = document.getElementById(pick.lat);
      if (!lon || !lat) { return; }
      function read() {
        const point = [parseFloat(lon.value), parseFloat(lat.value)];
        state.pick = point.every(Number.isFinite) ? point : null;
        el.dataset.picked = state.pick ? state.pick.join(",") : "";
      }
      function typed() {
        read();
        redraw();
      }
      chart.getZr().on("click", (event) => {
        const point = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
        if (!point || !point.every(Number.isFinite)) { return; }
        lon.value = point[0].toFixed(5);
        lat.value = point[1].toFixed(5);
        typed();
      });
      lon.addEventListener("input", typed);
      lat.addEventListener("input", typed);
      read();
    }

    async function start() {
      state.geo = await boundaries(config.boundaries);
      state.mapName = "ecogov-" + el.id + "-" + config.region;
      echarts.registerMap(state.mapName, state.geo);
      el.dataset.features = state.geo.features.map((f) => f.properties.code).join(",");
      if (config.pick) { picker(config.pick); }
      for (const layer of config.layers) {
        state.layers.push(layer);
        switcher(layer);
      }
      await Promise.all(state.layers.filter((layer) => layer.visible).map(load));
      await setAreas(chosenAreas());
    }
    start().catch(fail);
    return api;
  }

  function mountAll() {
    document.querySelectorAll(".ecogov-map").forEach((el) => { if (!maps[el.id]) { mount(el); } });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
}());
