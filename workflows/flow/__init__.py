"""Flow figures (*ledtider*): how long ideas wait and stay in each stage, and the targets.

The definitions are in docs/flow-figures.md; `selectors` computes the figures in the
database, `targets` holds the targets in days (setting `FLOW_TARGET_DAYS`) that the coach
inbox flags and the flow page measures against.
"""
