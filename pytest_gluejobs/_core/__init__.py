"""The service core: Glue's job operations on plain data (validation, rules, store, paging, errors).

It knows neither pytest nor botocore's transport: it takes an operation, the decoded request and a
partition, and returns a result or raises GlueError. Nothing here imports from the rest of the
package; the transport and the controller import from here.
"""
