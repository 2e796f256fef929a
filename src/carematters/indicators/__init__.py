"""Outcome indicators: how an authority's children are doing, by DfE's definitions,
against England's published figures."""
