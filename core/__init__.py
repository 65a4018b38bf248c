"""Shared bases every product app may use: money, London time, the state-machine base, the
one-door machinery for life cycles, the GOV.UK forms toolkit and view helpers.

The bottom layer: nothing here imports an app of ours (see docs/architecture.md).
"""
