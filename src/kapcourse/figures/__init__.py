"""The course's figures: one module per lesson topic, each function returns a matplotlib Figure.

Figure code lives here, not in notebooks, so every figure is reproducible and tested.
"""
