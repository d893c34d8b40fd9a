"""A table of figures as the programme view shows, charts and exports it.

One shape for every table so that the page, the CSV and XLSX files, the
printed summary and the small-count suppression (`learning.suppression`) read
the same thing. A cell holds a number, `None` where nothing applies, or, once
suppressed, the text that stands for the hidden number.
"""

from dataclasses import dataclass, field
from decimal import Decimal

Value = int | Decimal | str | None


@dataclass(frozen=True)
class Row:
    label: str
    values: list[Value]
    # Where a row comes from when that matters to the reader, such as
    # "dicatat manual: Profil SSP SoE 2023" beside a year before the platform.
    note: str = ""
    total: Value = None


@dataclass(frozen=True)
class Table:
    """Rows by columns, with row totals, column totals and their grand total.

    `suppress` says whether the cells count people or cases (and so are
    hidden when small in what leaves the organisation); sums of hours are not.
    `with_totals` fills the totals from the cells; a table that has none
    (totals=False) keeps them as None.
    """

    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    column_totals: list[Value] | None = None
    grand_total: Value = None
    totals: bool = True
    suppress: bool = True
    note: str = ""
    # What suppression did to this table, for the legend: None when exact.
    hidden: dict = field(default_factory=dict)

    @classmethod
    def with_totals(cls, **kwargs) -> "Table":
        table = cls(**kwargs)
        if not table.totals:
            return table
        rows = [
            Row(row.label, row.values, row.note, _sum(row.values)) for row in table.rows
        ]
        columns = [
            _sum([row.values[i] for row in rows]) for i in range(len(table.columns))
        ]
        return cls(
            **{
                **kwargs,
                "rows": rows,
                "column_totals": columns,
                "grand_total": _sum(columns),
            }
        )

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def value_rows(self) -> list[list[Value]]:
        """Each row as its label, its cells and (with totals) its total."""
        return [
            [row.label, *row.values, *([row.total] if self.totals else [])]
            for row in self.rows
        ]


def _sum(values) -> Value:
    numbers = [value for value in values if isinstance(value, int | Decimal)]
    return sum(numbers) if numbers else 0
