"""Parallel BiLSTM-CRF dev sweep: one process per configuration (one thread each), then seed ensembles.

Usage (from the repository root): ``python models/ar_ner/experiments/sweep.py CONFIGS.json [ENSEMBLES.json]``
with ``$DATA/ar`` holding anercorp/ and wikiann/ (the corpora) and ``$DATA/pieces`` a pruned piece
table (``pieces.json`` + ``vectors.safetensors``, see ``train.e5_pieces.prune``); CONFIGS maps a
run name to ``LstmConfig`` fields (+ ``seed``), ENSEMBLES a name to a list of run names.
Environment: DATA (default .devdata), OUT, LIMIT (seconds of training per run), DEVICE (cpu/cuda).
Results (dev F1 per epoch, best epoch; test F1 only recorded) go to $OUT/results.json.
This is how the settings in sweeps.json were compared; it is not the shipped model's training.
"""
import json, os, sys, time, multiprocessing as mp
from pathlib import Path
sys.path.insert(0, "src")
ROOT = Path(os.environ.get("DATA", ".devdata"))
OUT = Path(os.environ.get("OUT", "/tmp/out"))
LIMIT = float(os.environ.get("LIMIT", "420"))
DEVICE = os.environ.get("DEVICE", "cpu")
CONFIGS = json.loads(Path(sys.argv[1]).read_text())
ENSEMBLES = json.loads(Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else {}

def run(item):
    name, kw = item
    os.environ["OMP_NUM_THREADS"] = "1"
    import torch
    torch.set_num_threads(1)
    from healthcoop_nlp.train.ner_ar import TrainConfig, LstmConfig, train_lstm
    kw = dict(kw)
    seed = kw.pop("seed", 0)
    if kw.get("subwords"):
        kw["e5_source"] = ROOT / "pieces"
    lc = LstmConfig(**kw)
    out = Path("/tmp/runs") / name
    logf = open(f"/tmp/runs/{name}.log", "w")
    t = time.time()
    try:
        m = train_lstm(TrainConfig(corpora=ROOT / "ar", seed=seed), out, lcfg=lc, time_limit_s=LIMIT,
                       log=lambda s: (logf.write(s + "\n"), logf.flush()), device=DEVICE)
    except Exception as e:
        import traceback
        return name, {"error": traceback.format_exc()}
    return name, {"dev": m["dev_f1"], "test": m["test_f1"], "best_epoch": m["best_epoch"],
                  "epochs_run": len(m["history"]), "dev_curve": [h["dev_f1"] for h in m["history"]],
                  "sec_per_epoch": round((time.time() - t) / max(1, len(m["history"])), 1)}

def ens(names):
    import torch
    from healthcoop_nlp.ner.ar_lstm import Ensemble, load_member, load_shared, encode, pad_batch, TAGS, Vocab
    from healthcoop_nlp.train.ner_ar import TrainConfig, load_data, _fields
    from healthcoop_nlp.ner.ar_lexicon import Lexicon
    from healthcoop_nlp.ner.subwords import PieceTable
    from healthcoop_nlp.scoring.conll import entity_prf
    res = {}
    data = load_data(TrainConfig(corpora=ROOT / "ar"))
    lex = Lexicon.load()
    members, vocab, pieces = [], None, None
    for n in names:
        d = Path("/tmp/runs") / n
        cfg = json.loads((d / "config.json").read_text())
        vocab = Vocab.load(d / "vocab.json")
        if (d / "pieces.json").is_file():
            pieces = PieceTable.load(d / "pieces.json")
        members.append(load_member(d / "model.safetensors", cfg["config"], load_shared(d)))
    model = Ensemble(members).eval().to(DEVICE)
    for split, sents in (("dev", data.dev), ("test", data.test)):
        f = _fields(sents, lex, data.names, pieces)
        preds = []
        for i in range(0, len(f), 64):
            x, mask = pad_batch([encode(vocab, z) for z in f[i:i + 64]])
            preds += [[TAGS[k] for k in p] for p in model.decode({k: v.to(DEVICE) for k, v in x.items()}, mask.to(DEVICE))]
        r = entity_prf([s.tags for s in sents], preds)
        res[split] = round(r["micro"]["f1"], 4)
        res[split + "_PR"] = (round(r["micro"]["precision"], 4), round(r["micro"]["recall"], 4))
    return res

if __name__ == "__main__":
    os.makedirs("/tmp/runs", exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    with mp.get_context("spawn").Pool(min(16, len(CONFIGS))) as pool:
        results = {}
        for name, r in pool.imap_unordered(run, list(CONFIGS.items()), chunksize=1):
            results[name] = r
            print(name, json.dumps(r), flush=True)
            (OUT / "results.json").write_text(json.dumps(results, indent=1))
    print("train phase", round(time.time() - t0), flush=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    if ENSEMBLES:
        with mp.get_context("spawn").Pool(min(16, len(ENSEMBLES))) as pool:
            er = dict(zip(ENSEMBLES, pool.map(ens, list(ENSEMBLES.values()))))
        for k, v in er.items():
            print("ENS", k, json.dumps(v), flush=True)
        results["ensembles"] = er
        (OUT / "results.json").write_text(json.dumps(results, indent=1))
    os.system(f"cd /tmp/runs && tar czf {OUT}/logs.tgz *.log")
    print("total", round(time.time() - t0))
