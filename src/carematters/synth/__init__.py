"""The synthetic local authority: a seeded simulation of children's care journeys.

Nobody may use real children's data to build, test or demonstrate carematters, so
this package makes a fictional authority whose children enter care, move, leave,
return and grow up as England's children in care do, calibrated to DfE's published
national figures (`indicators/national.yaml`). Everything is drawn a whole population at a
time from one seed: the same seed always gives the same record.
"""
