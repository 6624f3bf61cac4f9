"""The schedules `vigia serve` runs agree with prefect.yaml."""

from __future__ import annotations

import importlib

import yaml

from tests.conftest import REPO


def declared() -> dict[str, dict]:
    document = yaml.safe_load((REPO / "prefect.yaml").read_text())
    return {deployment["name"]: deployment for deployment in document["deployments"]}


def test_prefect_yaml_entrypoints_exist_with_limits_and_timezone() -> None:
    for deployment in declared().values():
        module_path, function = deployment["entrypoint"].split(":")
        module = importlib.import_module(
            module_path.removesuffix(".py").replace("/", ".")
        )

        assert callable(getattr(module, function))
        assert deployment["concurrency_limit"] == 1
        assert all(
            schedule["timezone"] == "America/Mexico_City"
            for schedule in deployment["schedules"]
        )


def test_served_deployments_match_prefect_yaml() -> None:
    from flows.schedules import deployments

    yaml_schedules = {
        name: [schedule["cron"] for schedule in deployment["schedules"]]
        for name, deployment in declared().items()
    }
    served = {
        deployment.name: [schedule.schedule.cron for schedule in deployment.schedules]
        for deployment in deployments()
    }

    assert served == yaml_schedules
    assert all(deployment.concurrency_limit == 1 for deployment in deployments())
