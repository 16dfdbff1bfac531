"""A DAG that does nothing: running it once starts what every ``dag.test()`` in a process shares.

The first ``dag.test()`` in a process starts Airflow's in-process Execution API (it imports the
API's models and builds its versioned routes): seconds, whatever the DAG. The session fixture of
test_airflow.py runs this DAG once, before any test.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, task

with DAG("airflow_start_up", schedule=None, start_date=pendulum.datetime(2026, 1, 1)) as dag:

    @task
    def nothing() -> None:
        """The one task, so that Airflow runs a task (and starts what a task needs)."""

    nothing()
