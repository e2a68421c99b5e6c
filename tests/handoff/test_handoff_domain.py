"""The handoff and console domain on real SQLite: working hours, the queue's transitions
(two operators cannot take one conversation), accounts (argon2id), session tokens, grouping
of unanswered questions with the real multilingual-e5 encoder, KB proposals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from console.accounts import (
    authenticate,
    create_account,
    csrf_for,
    csrf_ok,
    issue_session,
    session_user,
)
from console.proposals import PUBLISHED_FILE, ProposalError, propose, publish, review
from console.unanswered import Item, group
from handoff import HandoffError, HandoffStore, load_config, parse_schedule
from knowledge.kb import validate_entries
from troly06.config import REPO_ROOT


@pytest.fixture()
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'h.db'}"


def test_working_hours_and_holidays() -> None:
    s = parse_schedule("mon-fri 07:30-11:30,13:30-17:00; sat 07:30-11:30", "2026-09-02")
    local = s.tz
    assert s.is_open(datetime(2026, 12, 1, 8, 0, tzinfo=local))        # Tuesday morning
    assert not s.is_open(datetime(2026, 12, 1, 12, 0, tzinfo=local))   # lunch
    assert not s.is_open(datetime(2026, 12, 6, 9, 0, tzinfo=local))    # Sunday
    assert s.is_open(datetime(2026, 12, 5, 9, 0, tzinfo=local))        # Saturday morning
    assert not s.is_open(datetime(2026, 9, 2, 9, 0, tzinfo=local))     # national day
    nxt = s.next_open(datetime(2026, 12, 5, 18, 0, tzinfo=local))      # Saturday evening
    assert nxt is not None and (nxt.weekday(), nxt.hour, nxt.minute) == (0, 7, 30)
    assert s.is_open(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))          # 08:00 in Vietnam
    with pytest.raises(ValueError):
        parse_schedule("mon-fri 17:00-08:00")
    with pytest.raises(ValueError):
        parse_schedule("someday 08:00-09:00")


def test_units_and_triggers() -> None:
    cfg = load_config(str(REPO_ROOT / "config" / "handoff.yaml"))
    assert cfg.asks_for_person("Cho mình GẶP CÁN BỘ với")
    assert cfg.asks_for_person("toi muon noi chuyen voi nguoi that")
    assert not cfg.asks_for_person("Làm căn cước ở đâu?")
    assert cfg.unit_for("mình ở Vị Thanh, muốn hỏi") == "haugiang"
    assert cfg.unit_for("không nói nơi ở") == cfg.default_unit


def test_queue_transitions_and_races(url: str) -> None:
    store = HandoffStore(url)
    a, created = store.open("web:a", "web", "cantho")
    again, created_again = store.open("web:a", "web", "cantho")
    assert created and not created_again and again.id == a.id
    b, _ = store.open("telegram:2", "telegram", "cantho")
    assert (store.position(a.id), store.position(b.id)) == (1, 2)
    store.take(a.id, "op1")
    with pytest.raises(HandoffError) as exc:
        store.take(a.id, "op2")            # the other operator (another replica) is refused
    assert exc.value.code == "taken"
    assert store.position(b.id) == 1
    with pytest.raises(HandoffError):
        store.check_handler(a.id, "op2")
    store.transfer(a.id, "haugiang", "op1")
    moved = store.get(a.id)
    assert (moved.status, moved.unit, moved.operator) == ("queued", "haugiang", None)
    store.take(a.id, "op3")
    store.add_message(a.id, "operator", "Chào bạn", operator="op3")
    assert [m.text for m in store.inbox("web:a")[0]] == ["Chào bạn"]
    assert store.inbox("web:a", after=10**6)[0] == []
    store.close(a.id, "op3")
    assert store.active("web:a") is None
    with pytest.raises(HandoffError) as exc:
        store.close(a.id, "op3")
    assert exc.value.code == "closed"
    with pytest.raises(HandoffError) as exc:
        store.get(999)
    assert exc.value.status == 404
    label = store.queue()[0].label
    assert label.startswith("telegram-") and label != "telegram:2"  # no raw user id shown


def test_accounts_hash_with_argon2id_and_sessions_are_signed(url: str) -> None:
    create_account(url, "canbo1", "mot-mat-khau-dai", "operator", unit="cantho")
    from sqlalchemy import text

    from handoff.db import engine

    with engine(url).connect() as conn:
        stored = conn.execute(text("select password_hash from console_accounts")).scalar()
    assert stored.startswith("$argon2id$") and "mot-mat-khau" not in stored
    assert authenticate(url, "canbo1", "mot-mat-khau-dai") is not None
    assert authenticate(url, "canbo1", "sai-mat-khau-roi") is None
    assert authenticate(url, "khong-co", "mot-mat-khau-dai") is None
    with pytest.raises(ValueError):
        create_account(url, "x", "mot-mat-khau-dai", "operator")
    with pytest.raises(ValueError):
        create_account(url, "canbo2", "ngan", "operator")
    with pytest.raises(ValueError):
        create_account(url, "canbo2", "mot-mat-khau-dai", "superuser")
    token, csrf = issue_session("canbo1", "k" * 32, 60)
    assert session_user(token, "k" * 32) == "canbo1"
    assert csrf == csrf_for(token, "k" * 32) and csrf_ok(token, csrf, "k" * 32)
    assert not csrf_ok(token, None, "k" * 32) and not csrf_ok(token, "x" * 64, "k" * 32)
    forged = token.replace("canbo1", "quantri", 1)
    assert session_user(forged, "k" * 32) is None
    assert session_user(token, "other-key" * 4) is None
    assert session_user(token, "k" * 32, now_s=10**11) is None  # expired
    assert session_user("garbage", "k" * 32) is None and session_user(None, "k") is None


def test_unanswered_questions_group_by_meaning_with_the_real_encoder() -> None:
    from knowledge.encoders import get_encoder

    when = datetime(2026, 12, 1, tzinfo=UTC)
    texts = ["Làm sao đổi tên trên tài khoản VNeID?", "đổi tên trên VNeID như thế nào",
             "Cách thay đổi họ tên trong tài khoản VNeID",
             "Giá xăng hôm nay bao nhiêu?"]
    items = [Item(t, "not_sure", "cantho", when) for t in texts]
    items.append(Item("đổi tên tài khoản vneid", "downvoted", "haugiang", when))
    groups = group(items, get_encoder().encode_queries, threshold=0.88)
    biggest = groups[0].to_dict()
    assert biggest["count"] == 4 and biggest["downvoted"] == 1
    assert biggest["units"] == {"cantho": 3, "haugiang": 1}
    assert [g.to_dict()["count"] for g in groups] == [4, 1]


def _entry(eid: str = "console_doi_ten_vneid", title: str = "Đổi họ tên hiển thị trên tài "
           "khoản VNeID") -> dict[str, object]:
    return {
        "id": eid, "kind": "faq", "topic": "dinh_danh",
        "title": title,
        "answer": ("Họ tên trên VNeID lấy từ Cơ sở dữ liệu quốc gia về dân cư. Muốn đổi, bạn "
                   "làm thủ tục thay đổi, cải chính hộ tịch tại UBND cấp xã; sau khi dữ liệu "
                   "dân cư cập nhật, tài khoản VNeID tự hiển thị tên mới."),
        "questions": ["đổi tên trên VNeID", "sửa họ tên tài khoản VNeID",
                      "VNeID sai tên thì làm sao", "thay đổi họ tên VNeID",
                      "cập nhật tên mới trên VNeID", "tên trên vneid bị sai"],
        "legal_basis": [{"doc": "Luật Hộ tịch số 60/2014/QH13", "article": "Điều 26"}],
        "source": {"title": "Cổng Dịch vụ công quốc gia", "ref": "https://dichvucong.gov.vn",
                   "date": "2026-11-01"},
        "official_page": "https://dichvucong.gov.vn", "verified": "2026-12-01",
        "tags": ["vneid"], "valid_from": "2026-01-01"}


def test_proposals_need_a_second_person_and_publish_valid_yaml(url: str, tmp_path: Path
                                                                ) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "base.yaml").write_text(yaml.safe_dump(
        {"entries": [_entry("goc_1", "Tài khoản VNeID bị khoá")]}, allow_unicode=True),
        encoding="utf-8")
    with pytest.raises(ProposalError) as exc:
        propose(url, "bientap1", {**_entry(), "answer": "ngắn"}, kb)
    assert exc.value.code == "invalid" and exc.value.problems
    with pytest.raises(ProposalError) as exc:
        propose(url, "bientap1", _entry("goc_1"), kb)
    assert exc.value.code == "id_exists"
    with pytest.raises(ProposalError) as exc:   # a title is a button's question: unique
        propose(url, "bientap1", _entry(title="tai khoan VNEID bi khoa"), kb)
    assert exc.value.code == "title_exists" and "goc_1" in exc.value.problems[0]
    p = propose(url, "bientap1", _entry(), kb)
    with pytest.raises(ProposalError) as exc:
        publish(url, p.id, kb)
    assert exc.value.code == "not_approved"
    with pytest.raises(ProposalError) as exc:
        review(url, p.id, "bientap1", True)
    assert exc.value.code == "same_person"
    review(url, p.id, "bientap2", True, "đã kiểm tra nguồn")
    done = publish(url, p.id, kb)
    assert done.status == "published"
    assert validate_entries(kb) == []
    data = yaml.safe_load((kb / PUBLISHED_FILE).read_text(encoding="utf-8"))
    assert [e["id"] for e in data["entries"]] == ["console_doi_ten_vneid"]


def test_retention_purges_old_closed_conversations_and_turns(url: str) -> None:
    from datetime import timedelta

    from handoff import record_turn
    from handoff.retention import purge_before

    store = HandoffStore(url)
    old, _ = store.open("web:old", "web", "cantho")
    store.add_message(old.id, "citizen", "câu hỏi cũ")
    store.take(old.id, "op")
    store.close(old.id, "op")
    live, _ = store.open("web:live", "web", "cantho")
    record_turn(url, "web:old", "web", "not_sure", question="cũ",
                at=datetime.now(UTC) - timedelta(days=100))
    record_turn(url, "web:live", "web", "answered")
    done = purge_before(url, datetime.now(UTC) + timedelta(seconds=1))
    assert done == {"conversations": 1, "messages": 1, "turns": 2}
    assert store.active("web:live") is not None


def test_two_replicas_opening_at_once_share_one_conversation(url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stores = [HandoffStore(url) for _ in range(2)]
    with ThreadPoolExecutor(8) as pool:
        views = list(pool.map(lambda i: stores[i % 2].open("zalo:9", "zalo", "cantho")[0].id,
                              range(16)))
    assert len(set(views)) == 1
    assert len(stores[0].queue()) == 1


def test_the_privacy_purge_command_covers_handoff_conversations(tmp_path: Path) -> None:
    """``troly06 privacy purge`` (troly06.retention.purge) also removes closed handoff
    conversations and chat turns past the retention period; open ones stay."""
    from datetime import timedelta

    from handoff import record_turn
    from troly06.config import settings_env
    from troly06.retention import purge

    url = f"sqlite:///{tmp_path / 'app.db'}"
    with settings_env({"DATABASE_URL": url, "RASA_TRACKER_DB": str(tmp_path / "t.db"),
                       "TROLY06_DATA_DIR": str(tmp_path / "var")}) as settings:
        store = HandoffStore(url)
        old, _ = store.open("web:old", "web", "cantho")
        store.take(old.id, "op")
        store.close(old.id, "op")
        store.open("web:live", "web", "cantho")
        record_turn(url, "web:old", "web", "not_sure", question="cũ",
                    at=datetime.now(UTC) - timedelta(days=100))
        future = (datetime.now(UTC) + timedelta(days=1)).timestamp()
        removed = purge(settings, days=0, now=future)
    assert removed["conversations"] == 1 and removed["turns"] >= 1
    assert HandoffStore(url).active("web:live") is not None
