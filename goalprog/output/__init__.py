"""Layer 6, output: the HTML report and chart, and LP/MPS export. See docs/architecture.md."""
