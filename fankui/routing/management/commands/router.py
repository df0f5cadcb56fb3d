"""`fankui router train|report|eval`: look after the routing model."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.routing.evaluation import evaluate, read_jsonl
from fankui.routing.models import TrainingRun
from fankui.routing.services import train_router


class Command(BaseCommand):
    help = "路由模型：train 重新训练（更好才采用）、report 历次训练准确率、eval 在标注集上评估"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="从样例重新训练；只有在留出集上胜过当前模型才采用")
        train.add_argument("--force", action="store_true", help="无论分数都采用新模型")
        train.add_argument("--note", default="", help="记在训练记录上的说明")
        sub.add_parser("report", help="历次训练的留出准确率")
        ev = sub.add_parser("eval", help="在 JSON Lines 标注集上评估路由")
        ev.add_argument("file", type=Path)
        ev.add_argument("--errors", action="store_true", help="列出每个出错的条目")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "train":
            outcome = train_router(force=options["force"], note=options["note"])
            baseline = "无" if outcome.baseline is None else f"{outcome.baseline:.3f}"
            verdict = "采用新模型" if outcome.accepted else "保留原模型"
            self.stdout.write(
                f"held-back accuracy {outcome.accuracy:.3f} (current model {baseline}) on {outcome.run.n_heldout} "
                f"of {outcome.run.n_examples} examples → {verdict}"
            )
        elif action == "report":
            runs = list(TrainingRun.objects.order_by("created_at", "id"))
            if not runs:
                self.stdout.write("还没有训练记录（fankui router train）")
            for run in runs:
                baseline = "   -  " if run.baseline_accuracy is None else f"{run.baseline_accuracy:.3f}"
                flag = "*" if run.is_active else ("+" if run.accepted else " ")
                self.stdout.write(
                    f"{flag} {run.created_at:%Y-%m-%d %H:%M}  accuracy {run.accuracy:.3f}  previous {baseline}  "
                    f"examples {run.n_examples} (held back {run.n_heldout})  {run.note}"
                )
        else:
            path: Path = options["file"]
            if not path.exists():
                raise CommandError(f"{path}: no such file")
            report = evaluate(read_jsonl(path))
            if options["errors"]:
                for error in report.errors:
                    self.stdout.write(error)
            for line in report.lines():
                self.stdout.write(line)
