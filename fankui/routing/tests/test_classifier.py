"""The learned stage computes the same TF-IDF row as scikit-learn, without its per-call cost."""
from __future__ import annotations

import numpy as np

from fankui.routing.classifier import TextModel
from fankui.routing.examples import shipped_examples
from fankui.routing.text import model_text

TEXTS = [
    "报销单提交后一直卡在审批流",
    "业主说APP里缴费成功了但是账单还显示欠费!!",
    "门禁刷卡没反应",
    "请问一下这个怎么弄",
    "Connection reset by peer 登陆不上 金碟",
    "",
]


def test_predict_matches_scikit_learns_transform() -> None:
    examples = shipped_examples()
    model = TextModel.fit([e.text for e in examples], [e.label for e in examples])
    for text in TEXTS:
        row = model.vectorizer.transform([model_text(text)])
        margins = np.asarray(row @ model.coef.T).ravel() + model.intercept
        expected = np.exp(margins / model.temperature - (margins / model.temperature).max())
        expected /= expected.sum()
        prediction = model.predict(text)
        got = np.array([prediction.distribution[label] for label in model.classes])
        assert np.allclose(got, expected, atol=1e-12), text
        assert prediction.label == model.classes[int(np.argmax(expected))]
        strongest = row.multiply(model.coef[int(np.argmax(expected))]).tocsr()
        names = model.feature_names
        pushed = [str(names[i]).strip() for w, i in sorted(zip(strongest.data, strongest.indices), reverse=True) if w > 0 and len(str(names[i]).strip()) >= 2]
        assert list(prediction.evidence) == pushed[:4]
