"use strict";
(function () {
  const svg = document.getElementById("graph");
  const view = document.getElementById("view");
  const details = document.getElementById("details");
  const width = Number(svg.dataset.width);
  const height = Number(svg.dataset.height);
  let scale = 1, left = 0, top = 0;

  function show() {
    view.setAttribute("transform", "translate(" + left + " " + top + ") scale(" + scale + ")");
  }

  function fit() {
    const box = svg.getBoundingClientRect();
    if (!box.width || !box.height) return;  // not on screen (a hidden frame): nothing to fit to
    scale = Math.min(box.width / width, box.height / height, 1.5);
    left = (box.width - width * scale) / 2;
    top = (box.height - height * scale) / 2;
    show();
  }

  // Zoom by factor, keeping the point (x, y) of the window where it is.
  function zoom(factor, x, y) {
    const next = Math.min(Math.max(scale * factor, 0.01), 50);
    left = x - (x - left) * next / scale;
    top = y - (y - top) * next / scale;
    scale = next;
    show();
  }

  function zoomAtCentre(factor) {
    const box = svg.getBoundingClientRect();
    zoom(factor, box.width / 2, box.height / 2);
  }

  function select(node) {
    for (const marked of document.querySelectorAll(".selected")) marked.classList.remove("selected");
    if (!node) {
      details.hidden = true;
      return;
    }
    node.classList.add("selected");
    for (const edge of document.querySelectorAll(".edge")) {
      if (edge.dataset.from === node.id || edge.dataset.to === node.id) edge.classList.add("selected");
    }
    const list = document.createElement("dl");
    for (const [label, text] of JSON.parse(node.dataset.details)) {
      const term = document.createElement("dt");
      const description = document.createElement("dd");
      term.textContent = label;
      description.textContent = text;
      list.append(term, description);
    }
    details.replaceChildren(list);
    details.hidden = false;
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    const box = svg.getBoundingClientRect();
    const pixels = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;  // lines or pixels
    zoom(Math.exp(-pixels / 400), event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });

  // Dragging moves the graph; a press that does not move is a click, which selects a node.
  let drag = null;
  svg.addEventListener("pointerdown", function (event) {
    drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, left: left, top: top,
             moved: false, node: event.target.closest(".node") };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      svg.classList.add("dragging");
    }
    if (drag.moved) {
      left = drag.left + dx;
      top = drag.top + dy;
      show();
    }
  });
  svg.addEventListener("pointerup", function (event) {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (!drag.moved) select(drag.node);
    drag = null;
    svg.classList.remove("dragging");
  });
  svg.addEventListener("pointercancel", function () {
    drag = null;
    svg.classList.remove("dragging");
  });

  document.getElementById("zoom-in").addEventListener("click", function () { zoomAtCentre(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAtCentre(0.8); });
  document.getElementById("fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "+" || event.key === "=") zoomAtCentre(1.25);
    else if (event.key === "-") zoomAtCentre(0.8);
    else if (event.key === "0") fit();
    else if (event.key === "Escape") select(null);
  });
  // A window resized (or a phone turned) gets the whole graph again.
  window.addEventListener("resize", fit);
  fit();
})();
