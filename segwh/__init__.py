"""segwh: run, publish and serve the customer segmentation warehouse (docs/production.md)."""
