"""X codes: the catalogue entries of the across the files of one batch checks (:mod:`perfxl.rules.batch`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule
from perfxl.spec import PROFILE

SHEET = PROFILE.name
__all__ = ["X001", "X002", "X003"]

X001 = rule(
    "X001", "duplicate-credit-code", "error",
    "统一社会信用代码重复", "same credit code twice in the batch",
    "统一社会信用代码 {actual} 在本批次中重复出现（另见 {others}）。",
    "Credit code {actual} appears more than once in this batch (also in {others}).",
    "同一单位重复报送会被重复汇总和排名；不同单位代码相同则说明有一份填错了代码。",
    "同一单位的表以两个文件名各交了一次。",
    SHEET,
)
X002 = rule(
    "X002", "duplicate-unit-name", "error",
    "单位名称重复", "same unit name twice in the batch",
    "单位名称“{actual}”在本批次中重复出现（另见 {others}）。",
    "Unit name “{actual}” appears more than once in this batch (also in {others}).",
    "同一单位只应报送一份自评表；名称相同而代码不同时，说明有一份代码或名称填错。",
    "“桃源县科学技术协会”交了两份表，信用代码一份填错。",
    SHEET,
)
X003 = rule(
    "X003", "year-mismatch", "error",
    "评价年度与本批次不一致", "year differs from the batch's year",
    "评价年度为 {actual}，本批次评价的是 {expected} 年度，请核对是否交错了表。",
    "The evaluation year is {actual} but this batch evaluates {expected}; check that the right workbook was sent.",
    "一批次只评价一个年度；年度不同通常是交了往年的表或年度填错。",
    "2023 年度的批次中有一份表的评价年度填 2022。",
    SHEET,
    kinds=BOTH_KINDS,
)
