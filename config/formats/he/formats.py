# Hebrew writes thousands with a comma (1,234,567), as Django's formats say, but
# Django sets no grouping for Hebrew, so numbers would print ungrouped.
NUMBER_GROUPING = 3
