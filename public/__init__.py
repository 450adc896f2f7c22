"""The public site: server-rendered pages over cities and partnerships (views, forms,
page selectors, maps, template tags). Reads only; every query rule it needs is the
domain apps' own (QuerySet methods, `partnerships.selectors`).
"""
