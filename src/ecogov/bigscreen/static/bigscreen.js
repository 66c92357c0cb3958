// The command centre's big screen (指挥中心大屏): polls the region's snapshot
// (/api/v1/bigscreen) every `refresh` seconds and updates the page in place. It must run for
// days on a wall, so nothing grows: each chart is created once and only given new options
// (setOption), the map keeps one chart and replaces its station points (map.js setFeatures),
// and the alert ticker and the target list are fixed sets of rows made by the template whose
// text is rewritten. A 304 (same ETag) changes nothing.
(function () {
  "use strict";
  const settings = JSON.parse(document.getElementById("bs-settings").textContent);
  const BEIJING = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
  const HOUR = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
  });
  const TEXT = { color: "#d9e2ec", fontSize: 16 };
  const AXIS = { axisLabel: TEXT, axisLine: { lineStyle: { color: "#52606d" } }, splitLine: { lineStyle: { color: "#243b53" } } };

  const state = { etag: null, serverOffset: 0, lastOk: 0, refreshes: 0, timer: null };
  const charts = {};

  function byId(id) { return document.getElementById(id); }

  function setText(id, value) {
    const node = byId(id);
    const text = value === null || value === undefined || value === "" ? "—" : String(value);
    if (node.textContent !== text) { node.textContent = text; }
  }

  function percent(value) { return value === null || value === undefined ? null : value.toFixed(1) + "%"; }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(byId(id), "dark", { renderer: "canvas" });
      window.addEventListener("resize", () => charts[id].resize());
    }
    return charts[id];
  }

  /** Horizontal bars, best first from the top; the series keeps its id so setOption merges. */
  function bars(id, names, values, colours) {
    chart(id).setOption({
      backgroundColor: "transparent",
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      yAxis: Object.assign({ type: "category", inverse: true, data: names }, AXIS),
      series: [{
        id: "values", type: "bar", barMaxWidth: 22,
        label: { show: true, position: "right", color: TEXT.color, fontSize: 15 },
        data: values.map((value, i) => ({ value: value, itemStyle: { color: colours[i] } })),
      }],
    }, { replaceMerge: ["series"] });
  }

  function showRanking(ranking) {
    const rows = ranking.rows;
    bars("bs-ranking-chart",
      rows.map((row) => row.rank + "  " + row.name + (row.primary ? "（" + row.primary + "）" : "")),
      rows.map((row) => row.aqi), rows.map((row) => row.colour));
    setText("bs-ranking-time", ranking.time ? HOUR.format(new Date(ranking.time)) : "");
  }

  function showWater(water) {
    setText("bs-water-period", water.period);
    setText("bs-water-sections", water.sections);
    setText("bs-water-good", percent(water.share_I_III));
    setText("bs-water-attainment", percent(water.attainment));
    const classes = water.classes;
    chart("bs-water-chart").setOption({
      backgroundColor: "transparent",
      animation: false,
      grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
      xAxis: Object.assign({ type: "category", data: classes.map((c) => c.class) }, AXIS),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: [{
        id: "classes", type: "bar", barMaxWidth: 40,
        label: { show: true, position: "top", color: TEXT.color, fontSize: 15 },
        data: classes.map((c) => ({ value: c.count, itemStyle: { color: c.colour } })),
      }],
    });
  }

  function showComplaints(complaints) {
    setText("bs-complaints-total", complaints.total);
    const categories = complaints.categories;
    chart("bs-complaints-chart").setOption({
      backgroundColor: "transparent",
      animation: false,
      grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
      xAxis: Object.assign({ type: "category", data: categories.map((c) => c.name) }, AXIS),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: [{
        id: "categories", type: "bar", barMaxWidth: 36, itemStyle: { color: "#4fd1c5" },
        label: { show: true, position: "top", color: TEXT.color, fontSize: 15 },
        data: categories.map((c) => c.count),
      }],
    });
  }

  /** Fills the template's fixed rows of a list; rows beyond the data are hidden, never added. */
  function fillRows(list, items, fill) {
    const rows = list.children;
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i];
      const item = items[i];
      row.hidden = item === undefined;
      if (item !== undefined) { fill(row, item); }
    }
    list.classList.toggle("bs-empty", items.length === 0);
  }

  function put(node, text) { if (node.textContent !== text) { node.textContent = text; } }

  function showAlerts(alerts) {
    setText("bs-alerts-total", alerts.total);
    fillRows(byId("bs-ticker"), alerts.rows, (row, alert) => {
      row.dataset.id = String(alert.id);
      put(row.querySelector("time"), alert.time);
      row.querySelector(".bs-dot").style.background = alert.colour;
      put(row.querySelector(".bs-sev"), alert.severity_name);
      put(row.querySelector(".bs-text"), alert.title);
    });
  }

  function figure(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
    return rounded + (unit ? " " + unit : "");
  }

  const lights = {};
  function showTargets(targets) {
    const box = byId("bs-lights");
    targets.counts.forEach((entry) => {
      let light = lights[entry.status];
      if (!light) {  // one per status: a fixed set, made on first sight
        light = document.createElement("div");
        light.className = "bs-light";
        light.append(document.createElement("i"), document.createElement("b"), document.createElement("span"));
        box.append(light);
        lights[entry.status] = light;
      }
      light.firstChild.style.background = entry.colour;
      put(light.children[1], String(entry.count));
      put(light.children[2], entry.name);
    });
    fillRows(byId("bs-targets"), targets.rows, (row, target) => {
      row.querySelector(".bs-dot").style.background = target.colour;
      put(row.querySelector(".bs-text"), target.name + (target.year ? "（" + target.year + "）" : ""));
      put(row.querySelector(".bs-value"),
        figure(target.value, target.unit) + " / " + (target.comparator || "") + figure(target.goal, target.unit));
    });
  }

  function showAir(air) {
    setText("bs-air-time", air.time ? HOUR.format(new Date(air.time)) : "");
    const map = window.ecogovMaps && window.ecogovMaps["bs-map"];
    if (map) { map.setFeatures("stations", air.features); }
  }

  function show(snapshot) {
    state.serverOffset = new Date(snapshot.now).getTime() - Date.now();
    showAir(snapshot.air);
    showRanking(snapshot.ranking);
    showWater(snapshot.water);
    showAlerts(snapshot.alerts);
    setText("bs-items-open", snapshot.items.open);
    setText("bs-items-overdue", snapshot.items.overdue);
    showComplaints(snapshot.complaints);
    showTargets(snapshot.targets);
    setText("bs-updated", BEIJING.format(new Date(snapshot.now)).slice(11));
  }

  async function poll() {
    try {
      const headers = state.etag ? { "If-None-Match": state.etag } : {};
      const response = await fetch(settings.snapshot, { credentials: "same-origin", cache: "no-store", headers: headers });
      if (response.status === 200) {
        state.etag = response.headers.get("ETag");
        show(await response.json());
      } else if (response.status !== 304) {
        throw new Error(settings.snapshot + " → " + response.status);
      }
      state.lastOk = Date.now();
      byId("bs-stale").hidden = true;
    } catch (error) {
      byId("bs-stale").hidden = false;
      if (window.console) { console.warn("bigscreen: " + error); }
    } finally {
      state.refreshes += 1;
      document.body.dataset.refreshes = String(state.refreshes);
      // One timer at a time: the next poll is planned only when this one has finished.
      state.timer = window.setTimeout(poll, settings.refresh * 1000);
    }
  }

  function tick() {
    setText("bs-clock", BEIJING.format(new Date(Date.now() + state.serverOffset)));
  }

  window.ecogovBigscreen = { state: state, charts: charts };
  tick();
  window.setInterval(tick, 1000);
  poll();
}());
