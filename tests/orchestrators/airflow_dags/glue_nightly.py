"""A DAG as a user writes it: one GlueJobOperator that runs the nightly job and prints its logs."""

from __future__ import annotations

import pendulum
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.sdk import DAG

with DAG("glue_nightly", schedule=None, start_date=pendulum.datetime(2026, 1, 1)) as dag:
    GlueJobOperator(
        task_id="run_nightly",
        job_name="nightly",
        script_location="s3://scripts/nightly.py",
        iam_role_arn="arn:aws:iam::123456789012:role/GlueRole",
        region_name="us-east-1",
        script_args={"--day": "{{ ds }}"},
        verbose=True,  # job_poll_interval: Airflow's default, 6 s
    )
