"""Versions of an assessment, their diff, and item history from the 変更箇所.

tests/roots/test-versions/content/hanamaki-kojin-juminzei/ is a copy of the seed;
its versions/2019-05-24/ is the same copy edited back to the version before the
令和2年3月29日 re-assessment: 公表日 and V.1① 令和1年5月24日, 委託事項1 ⑤⑥ set to the
変更前の記載 of change entries 6 and 7, and the 令和2年3月29日 change rows removed.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from sphinx_pia.agreement import flatten
from sphinx_pia.loader import ContentError, load_content
from sphinx_pia.versions import change_history, diff, load_versions, VersionHistory

ROOT = Path(__file__).resolve().parents[1]
VROOT = ROOT / "tests" / "roots" / "test-versions" / "content"
AID = "hanamaki-kojin-juminzei"


@pytest.fixture(scope="module")
def versions():
    return load_versions(VROOT / AID, VROOT)


def test_versions_are_ordered_oldest_first(versions):
    assert [v.id for v in versions] == ["2019-05-24", "latest"]
    assert versions[-1].latest and versions[0].published.iso == "2019-05-24"
    assert versions[-1].label == "最新版 令和2年3月29日"


def test_diff_names_exactly_the_edited_values(versions):
    old, new = versions[0].assessment, versions[1].assessment
    changes = diff(old, new)
    changed = {c.location: c for c in changes if c.kind == "changed"}
    assert set(changed) == {
        "cover/公表日", "procedures/1/1実施日",
        "file1/ii/4/ent1/5再委託の許諾方法", "file1/ii/4/ent1/6再委託事項",  # labels are NFKC: ⑥ → 6
    }
    ent = changed["file1/ii/4/ent1/6再委託事項"]
    assert ent.target == "file-1-ent-1"
    assert ent.before == "住民基本台帳システムの保守・運用業務における作業員として、技術支援作業を委託"
    assert ent.after == "個人住民税システムの保守・運用業務に係る技術的実務を委託"
    assert changed["cover/公表日"].target == "cover"
    assert changed["procedures/1/1実施日"].target == "procedures-1"
    added = [c for c in changes if c.kind == "added"]
    n_new_rows = len(new.changes.entries) - len(old.changes.entries)
    assert n_new_rows == 19
    assert {c.location.split("/")[1] for c in added} == {str(i) for i in range(5, 5 + n_new_rows)}
    assert all(c.target.startswith("chg-") for c in added)
    assert not [c for c in changes if c.kind == "removed"]


def test_diff_ignores_whitespace(versions):
    old = versions[0].assessment
    new = copy.deepcopy(old)
    ent = new.files[0].overview.sections[3].entrustments[0]
    item = next(i for i in ent.items if i.label == "①委託内容")
    item.text = item.text[:5] + " \n " + item.text[5:]
    assert diff(old, new) == []
    item.text = item.text + "。"
    assert [c.location for c in diff(old, new)] == ["file1/ii/4/ent1/1委託内容"]


def test_diff_of_a_version_with_itself_is_empty(versions):
    assert diff(versions[1].assessment, versions[1].assessment) == []
    assert len(flatten(versions[1].assessment)) > 500


def test_history_between_versions(versions):
    hist = VersionHistory(versions).changed_items()
    assert {"file-1-ent-1", "cover", "procedures-1"} <= set(hist)
    older, newer, change = hist["file-1-ent-1"][0]
    assert (older.id, newer.id) == ("2019-05-24", "latest")


def test_history_from_the_change_table_for_every_seed():
    for a in load_content(ROOT / "content"):
        history = change_history(a)
        with_text = [e for e in (a.changes.entries if a.changes else []) if e.targets and (e.before.text or e.after.text) and not e.duplicate_of]
        if not with_text:
            assert history == {}, a.id
            continue
        assert history, a.id
        entry = with_text[0]
        rows = history[entry.targets[0].ref]
        assert any(h.change == entry.id and h.before == entry.before.text and h.source == "change_table" for h in rows)
    hana = {a.id: a for a in load_content(ROOT / "content")}[AID]
    rows = change_history(hana)["basic-6"]
    assert [h.before for h in rows] == ["課長 伊藤 榮一", "課長 平野 克則", "課長 佐藤 多恵子"]
    assert [h.date_iso for h in rows] == ["2017-04-24", "2018-04-27", "2019-05-24"]


def test_bad_versions_are_reported(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(VROOT / AID, root / AID)
    old = root / AID / "versions" / "2019-05-24"
    text = (old / "assessment.yaml").read_text(encoding="utf-8")
    (old / "assessment.yaml").write_text(text.replace(f"id: {AID}", "id: other-id", 1), encoding="utf-8")
    (root / AID / "versions" / "Bad_Name").mkdir()
    (root / AID / "versions" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_versions(root / AID, root)
    messages = [str(p) for p in exc.value.problems]
    assert any("other-id" in m and "versions/2019-05-24/assessment.yaml" in m for m in messages)
    assert any("Bad_Name" in m for m in messages)
    assert any("notes.txt" in m for m in messages)


def test_content_loader_ignores_the_versions_directory():
    assert [a.id for a in load_content(VROOT)] == [AID]
