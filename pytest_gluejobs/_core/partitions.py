"""What names a partition of Glue's state (account, region), and the one a fake uses by default.

Apart from the store so that the pytest plugin, loaded by every pytest run, can name the defaults
without importing the service.
"""

from __future__ import annotations

#: (account_id, region): Glue keeps a separate set of jobs for each.
Partition = tuple[str, str]
#: The partition of a fake given none: the account id and region AWS's documentation uses.
DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
