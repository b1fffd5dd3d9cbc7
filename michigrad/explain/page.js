"use strict";
// The steps: Previous and Next (or the arrow keys) walk the forward pass, then the backward pass.
(function () {
  const data = JSON.parse(document.getElementById("steps-data").textContent);
  const steps = data.steps;
  const values = Array.from(document.querySelectorAll(".node.value"));
  const operations = Array.from(document.querySelectorAll(".node.operation"));
  const edges = Array.from(document.querySelectorAll(".edge"));
  const previous = document.getElementById("previous");
  const next = document.getElementById("next");
  let current = 0;

  // A value with no name in the picture gets the label the steps call it by (t1, t2, ...).
  for (const node of values) {
    const name = node.querySelector("text.name");
    if (name && !name.textContent && data.labels[node.id]) name.textContent = data.labels[node.id];
  }

  function text(id, content) {
    document.getElementById(id).textContent = content;
  }

  // The arrows of a step: from an operand into an operation (the hops of a long arrow too).
  function arrows(from, to) {
    return edges.filter(function (edge) {
      return edge.dataset.from === from && (edge.dataset.to === to || edge.dataset.to === "");
    });
  }

  // Each step's picture is worked out from the first step, so that any step can be shown.
  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    const step = steps[current];
    const computed = new Set();
    const grads = new Map();
    for (let i = 0; i <= current; i++) {
      if (steps[i].phase === "forward") {
        computed.add(steps[i].node);
        if (steps[i].operation) computed.add(steps[i].operation);
      }
      for (const [node, grad] of Object.entries(steps[i].grads || {})) grads.set(node, grad);
    }
    const forwardDone = step.phase !== "forward";
    for (const node of values.concat(operations)) {
      const known = forwardDone || computed.has(node.id) || node.classList.contains("constant");
      node.classList.toggle("pending", !known);
      node.classList.toggle("current", node.id === step.node || node.id === step.operation);
      node.classList.remove("flagged");
      const grad = node.querySelector("text.grad");
      if (grad) {
        grad.classList.toggle("unknown", !grads.has(node.id));
        grad.textContent = "grad " + (grads.get(node.id) || "");
      }
    }
    for (const edge of edges) {
      edge.classList.remove("current", "positive", "negative");
      edge.style.strokeWidth = "";
    }
    if (step.phase === "forward" && step.operation) {
      for (const edge of edges) {
        if (edge.dataset.to === step.operation || edge.dataset.from === step.operation) edge.classList.add("current");
      }
    }
    if (step.from) for (const edge of arrows(step.from, step.operation)) edge.classList.add("current");
    if (step.phase === "end") showContributions(step);

    text("step-count", "Step " + (current + 1) + " of " + steps.length + ": " +
         (step.phase === "forward" ? "forward pass" : step.phase === "end" ? "the end" : "backward pass"));
    text("step-text", step.text);
    const numbers = document.getElementById("step-numbers");
    numbers.hidden = step.upstream === undefined;
    if (!numbers.hidden) {
      text("step-symbols", step.symbols);
      text("step-upstream", step.upstream);
      text("step-local", step.local);
      text("step-contribution", step.contribution);
      text("step-total", step.total + " =");
      text("step-running", step.running);
      text("step-state", step.state);
    }
    previous.disabled = current === 0;
    next.disabled = current === steps.length - 1;
  }

  // The last step: each arrow as wide as its contribution, green if it adds and red if it takes away.
  function showContributions(step) {
    for (const edge of step.edges) {
      for (const path of arrows(edge.from, edge.to)) {
        if (edge.sign) path.classList.add(edge.sign);
        path.style.strokeWidth = String(edge.width);
      }
    }
    const list = document.getElementById("step-flags");
    list.replaceChildren();
    for (const flag of step.flags) {
      const node = document.getElementById(flag.node);
      if (node) node.classList.add("flagged");
      const item = document.createElement("li");
      item.textContent = flag.text;
      list.append(item);
    }
    list.hidden = step.flags.length === 0;
  }

  previous.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") show(current + 1);
    else if (event.key === "ArrowLeft") show(current - 1);
  });
  show(0);
})();
