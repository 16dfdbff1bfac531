"""The transport: where botocore's (and aiobotocore's) requests meet the fake.

The patches on botocore and aiobotocore, test credentials at signing and client creation, moto side
by side, the guard against real Glue, and the call log. It imports the service core, never the
controller or the pytest plugin.
"""
