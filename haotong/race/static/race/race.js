// The race over time: each team's rank (or points) in each monthly report.
(function () {
  const el = document.getElementById("race-chart");
  if (!el) return;
  const data = JSON.parse(document.getElementById("race-data").textContent);
  const palette = ["#b4232c", "#1f5f99", "#2f855a", "#b7791f", "#6b46c1", "#2c7a7b", "#9c4221", "#4a5568", "#c05621", "#276749"];
  let mode = "rank";
  const datasets = () => data.teams.map((t, i) => ({
    label: t.name, data: t[mode], borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length], spanGaps: true, tension: 0.2,
  }));
  const chart = new Chart(el, {
    type: "line",
    data: { labels: data.months, datasets: datasets() },
    options: { scales: { y: { reverse: true, title: { display: true, text: "名次" } } } },
  });
  document.getElementById("race-chart-toggle").addEventListener("click", () => {
    mode = mode === "rank" ? "points" : "rank";
    chart.data.datasets = datasets();
    chart.options.scales.y.reverse = mode === "rank";
    chart.options.scales.y.title.text = mode === "rank" ? "名次" : "得分";
    chart.update();
  });
})();
