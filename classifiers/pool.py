"""Classify on several worker processes of this machine, each with its models.

The Spanish pipeline and the models are pure Python and hold the interpreter
lock, so one process classifies on one core. A pool of worker processes,
each loading the models once from their file, classifies the parts of a
batch side by side while the calling process waits; results come back in
input order, as :func:`classifiers.classifier.classify` gives them.

Workers start from a fresh interpreter (``forkserver``), not as forks of the
caller: a flow's process runs threads, and a fork copies their locks mid-use.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from classifiers.classifier import Classification, TrainedModels, classify

_WORKER_MODELS: list[TrainedModels] = []


class ClassifierPool:
    """``workers`` processes classifying with the models saved at ``path``."""

    def __init__(self, path: Path, workers: int) -> None:
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_load_models,
            initargs=(str(path),),
        )
        # The executor starts a process only when a task finds none idle: one
        # task per worker at once starts them all now, each loading the
        # models, instead of during the first batches.
        list(self._executor.map(_ready, range(workers)))

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        """Classify texts in order, an equal share on each worker."""
        return self.classify_later(texts)()

    def classify_later(
        self, texts: Sequence[str]
    ) -> Callable[[], list[Classification]]:
        """Send texts to the workers now; the function returned waits for them.

        Shares queue behind those already sent, so a caller can send the next
        batch before it stores the last one and keep the workers busy.
        """
        if not texts:
            return list
        share = -(-len(texts) // self.workers)
        futures = [
            self._executor.submit(_classify_part, list(texts[i : i + share]))
            for i in range(0, len(texts), share)
        ]

        def results() -> list[Classification]:
            return [result for future in futures for result in future.result()]

        return results

    def peak_rss_mb(self) -> list[float]:
        """Each live worker's peak memory so far, in MB (Linux)."""
        # The executor has no public list of its processes.
        pids = list(self._executor._processes or ())
        return [_high_water_mb(pid) for pid in pids]

    def close(self) -> None:
        """Stop the workers."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def _load_models(path: str) -> None:
    _WORKER_MODELS.append(TrainedModels.load(Path(path)))


def _ready(_: int) -> bool:
    return bool(_WORKER_MODELS)


def _classify_part(texts: list[str]) -> list[Classification]:
    return list(classify(_WORKER_MODELS[0], texts))


def _high_water_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status")
    for line in status.read_text().splitlines() if status.exists() else ():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
