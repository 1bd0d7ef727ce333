"""A small PRE tracking tool (*logiciel de suivi*): pathways and their events in SQLite.

An honest adopter of ``reussite``: every event is checked by the library before it is
stored (``reussite.apply``), kept as one JSON row (``reussite.serialization``) in a real
SQLite file (the standard library's ``sqlite3``), and a pathway is read back by replaying
its rows. ``tests/test_tracking_tool.py`` runs the library's stateful test against it:
on the pathway it replays (the whole pathway is compared) and on the dashboard's summary
row (a partial view: its state and version).

``ForgetfulTrackingTool`` is the same tool with a planted bug, which that test catches.
"""

from __future__ import annotations

import pathlib
import sqlite3

import reussite as r
from reussite.serialization import dumps, loads

SCHEMA = """
CREATE TABLE IF NOT EXISTS pathways (
    id       TEXT PRIMARY KEY,
    child_id TEXT NOT NULL,
    state    TEXT NOT NULL,
    version  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    pathway_id TEXT NOT NULL REFERENCES pathways (id),
    version    INTEGER NOT NULL,
    type       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (pathway_id, version)
);
"""


class TrackingTool:
    """The pathways of one programme, stored as their events in a SQLite file."""

    def __init__(self, path: pathlib.Path, programme: r.Programme) -> None:
        self.programme = programme
        self._db = sqlite3.connect(path)
        # Write-ahead log: readers (the dashboard) do not block the writer, and a commit
        # does not wait for the disk, while a crash still loses no committed event.
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def record(
        self, pathway_id: str, event: r.Event, *, expected_version: int | None = None
    ) -> r.Pathway:
        """Check ``event`` with the library, store it, and return the pathway it leads to.

        A referral opens a new pathway; any other event goes to ``pathway_id``, whose
        stored version must be ``expected_version`` when one is given.
        """
        if isinstance(event, r.Referred) and self._version(event.pathway_id) is None:
            pathway = r.open_pathway(self.programme, event)
        else:
            # A second referral of a stored pathway goes to the lifecycle too, which
            # refuses it by its rule (R-TRANSITION, or R-FINAL once the pathway ended).
            if isinstance(event, r.Referred):
                pathway_id = event.pathway_id
            pathway = r.apply(self.load(pathway_id), event, expected_version=expected_version)
        with self._db:  # one transaction: the event and the summary row, or neither
            self._db.execute(
                "INSERT INTO pathways (id, child_id, state, version) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
                "version = excluded.version",
                (pathway.id, pathway.child.id, pathway.state.value, pathway.version),
            )
            self._store_event(pathway.id, pathway.version, event)
        return pathway

    def _store_event(self, pathway_id: str, version: int, event: r.Event) -> None:
        self._db.execute(
            "INSERT INTO events (pathway_id, version, type, on_date, body) VALUES (?, ?, ?, ?, ?)",
            (pathway_id, version, event.tag, event.on.isoformat(), dumps(event)),
        )

    def _version(self, pathway_id: str) -> int | None:
        row = self._db.execute(
            "SELECT version FROM pathways WHERE id = ?", (pathway_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def load(self, pathway_id: str) -> r.Pathway:
        """Rebuild a pathway by replaying its stored events.

        Raises:
            KeyError: if the tool has no such pathway.
        """
        rows = self._db.execute(
            "SELECT body FROM events WHERE pathway_id = ? ORDER BY version", (pathway_id,)
        ).fetchall()
        if not rows:
            raise KeyError(pathway_id)
        events = [loads(body, r.Event) for (body,) in rows]
        return r.replay(events, programme=self.programme)

    def summary(self, pathway_id: str) -> dict[str, object] | None:
        """The dashboard's row of a pathway (its state and version), or ``None``."""
        row = self._db.execute(
            "SELECT state, version FROM pathways WHERE id = ?", (pathway_id,)
        ).fetchone()
        return None if row is None else {"state": r.State(row[0]), "version": row[1]}

    def pathway_ids(self, *, child_id: str | None = None) -> list[str]:
        """The pathways stored, all or one child's, oldest first."""
        query = "SELECT id FROM pathways"
        params: tuple[str, ...] = ()
        if child_id is not None:
            query, params = query + " WHERE child_id = ?", (child_id,)
        return [row[0] for row in self._db.execute(query + " ORDER BY rowid", params)]

    def count_by_state(self) -> dict[str, int]:
        """How many pathways are in each state (the tool's dashboard)."""
        rows = self._db.execute("SELECT state, COUNT(*) FROM pathways GROUP BY state")
        return dict(rows.fetchall())


class ForgetfulTrackingTool(TrackingTool):
    """The same tool with a planted bug: it forgets withdrawals of consent.

    A plausible slip: withdrawals used to live in a table of their own, and the code that
    moved the others into the event log skipped them. The tool still answers "saved", and
    the pathway it reads back stays open.
    """

    def _store_event(self, pathway_id: str, version: int, event: r.Event) -> None:
        if isinstance(event, r.ConsentWithdrawn):
            return
        super()._store_event(pathway_id, version, event)
