"""What one message costs through the whole all-MiniLM-L6-v2 encoder without PyTorch.

Batch of one, float32, as the parse path would run it: the NumPy forward pass
(``nlu.transformer``) and, when installed and given an exported file, ONNX Runtime. Messages
are banking77 ``train.csv`` rows (a seeded sample; no test data needed to time a forward pass).
Wall time and the thread's CPU time are both reported: on a shared machine the wall-clock
tail is the scheduler's, CPU time is what the code costs.

    python bench/nlu_transformer.py [--n 600] [--threads 1] [--onnx FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys

# BLAS threads are fixed before NumPy loads; a parse runs on one core.
_threads = "1"
if "--threads" in sys.argv:
    _threads = sys.argv[sys.argv.index("--threads") + 1]
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads

import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from nlu.encoder import transformer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "datasets" / "banking77" / "train.csv"


def timed(run: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    for text in texts[:20]:  # warm up
        run(text)
    wall, cpu = [], []
    for text in texts:
        w, c = time.perf_counter(), time.thread_time()
        run(text)
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - w)
    ms = {"wall": np.array(wall) * 1000, "cpu": np.array(cpu) * 1000}
    return {
        f"{kind}_{q}": round(float(np.percentile(values, q)), 2)
        for kind, values in ms.items()
        for q in (50, 90, 99)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--threads", default="1")
    parser.add_argument("--onnx", type=Path, help="an exported model (input_ids, attention_mask)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "nlu-transformer.json"
    )
    args = parser.parse_args()

    with TRAIN.open(encoding="utf-8", newline="") as handle:
        rows = [row["text"] for row in csv.DictReader(handle)]
    texts = random.Random(7).sample(rows, args.n)
    model = transformer("minilm")
    lengths = [len(model.tokenizer.ids(t)) for t in texts]
    results: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average": os.getloadavg(),
        "threads": args.threads,
        "messages": len(texts),
        "tokens_mean": round(float(np.mean(lengths)), 1),
        "tokens_p99": float(np.percentile(lengths, 99)),
    }
    results["numpy_6_layers"] = timed(lambda t: model.encode([t]), texts)
    print("numpy, 6 layers:", results["numpy_6_layers"], flush=True)

    if args.onnx:
        import onnxruntime as ort  # type: ignore[import-not-found]

        options = ort.SessionOptions()
        options.intra_op_num_threads = int(args.threads)
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(args.onnx), options, providers=["CPUExecutionProvider"])
        names = {i.name for i in session.get_inputs()}

        def run_onnx(text: str) -> object:
            ids = np.array([model.tokenizer.ids(text)], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if "token_type_ids" in names:
                feed["token_type_ids"] = np.zeros_like(ids)
            return session.run(None, feed)

        results[f"onnxruntime_{args.onnx.stem}"] = timed(run_onnx, texts)
        print("onnxruntime:", results[f"onnxruntime_{args.onnx.stem}"], flush=True)

    results["load_average_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
