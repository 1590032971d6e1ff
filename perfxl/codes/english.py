"""The English of each rule's "why" and "example" (``perfxl rules CODE --lang en``).

The Chinese texts stand in the rule declarations; these are their translations, kept
together so a translator sees them all.  tests/test_catalogue.py fails when a rule has
none.
"""

from __future__ import annotations

__all__ = ["WHY_EN"]

# code → (why, example)
WHY_EN: dict[str, tuple[str, str]] = {
    "F001": ("An interrupted upload, a truncated e-mail attachment or a disk error leaves a file that cannot be "
             "read; nothing in it can be checked.",
             "An .xlsx uploaded half-way (the end of the zip is missing)."),
    "F002": ("Only someone with the password can open an encrypted workbook, so the bureau cannot review it; "
             "sheet protection without a password is not affected.",
             "A file saved after Excel's File → Info → Protect Workbook → Encrypt with Password."),
    "F003": ("Renaming a Word document, a PDF or a picture to .xlsx does not make it a workbook.",
             "自评报告.docx renamed to 自评表.xlsx."),
    "F004": ("A failed save or an interrupted copy leaves an empty file.", "A 0-byte 自评表.xlsx."),
    "F005": ("A self-evaluation workbook is usually under 1 MB; a much larger file mostly carries pictures or "
             "junk and slows the whole batch down.",
             "A workbook with dozens of scanned images pasted in."),
    "F006": ("A zip bomb unpacks a small file into huge amounts of data and exhausts the server's memory; such "
             "files are refused by their declared size and compression ratio before they are opened.",
             "A 300 KB .xlsx one of whose parts unpacks to 300 MB."),
    "F007": ("The workbook has a few dozen rows; a sheet of tens of thousands of rows is mostly a mistake (a "
             "whole column filled down) or a hostile file.",
             "The 绩效指标 sheet filled down to row 1048576."),
    "F008": ("Excel never writes a DOCTYPE; entity declarations can build a 'billion laughs' attack that "
             "exhausts memory or reads files on the server.",
             "sheet1.xml starting with <!DOCTYPE lolz [<!ENTITY lol ...>]>."),
    "F009": ("Copying from a shared folder often brings ~$ files along; they are no unit's workbook.",
             "~$自评表.xlsx."),
    "F010": ("This happens when a .zip or a .docx is renamed to .xlsx.", "材料.zip renamed to 自评表.xlsx."),
    "F011": ("Renaming a file does not change its format; reading it by its content avoids calling it damaged.",
             "An .xls file renamed to .xlsx."),
    "F012": ("Macros may hold malicious code; the reviewer is reminded not to enable them.",
             "A workbook saved as .xlsm."),
    "F013": ("perfxl finds the data by the template's sheet names; a sheet that was deleted or renamed counts "
             "as not filled in.",
             "绩效指标 renamed to 指标."),
    "F014": ("Columns are found by their header text; once a header is rewritten, perfxl does not know which "
             "column holds the data.",
             "实际完成值 rewritten as 完成值."),
    "F015": ("An extra column does not disturb the check, but what it holds is not reviewed.",
             "A 备注 column added to the right of the indicator table."),
    "F016": ("Tables are found by their header row; once it is deleted or rewritten, the whole table cannot "
             "be read.",
             "The header row of the budget table deleted."),
    "F017": ("Fixed rows are found by their label in column A; a label that was rewritten or deleted makes "
             "its row count as not filled in.",
             "公用经费 rewritten as 公用支出."),
    "F018": ("The template information says which version of the template a file comes from; without it the "
             "layout cannot be confirmed.",
             "The template's contents copied by hand into a home-made workbook."),
    "F019": ("Templates of different major versions have different layouts; reading one at the wrong "
             "positions gives wrong conclusions.",
             "The 2023 self-evaluation filled in on the old 2022 template."),
    "F020": ("The project expenditure workbook and the department-wide workbook have different layouts and "
             "cannot stand in for each other.",
             "A 项目支出绩效自评表 submitted as the 部门整体 workbook."),
    "F021": ("Inserting or deleting rows does not disturb reading, but the annotated copy follows where the "
             "header actually is.",
             "Two lines of notes inserted above the header."),
    "F022": ("When some other workbook (a final-accounts report, a personal file) is sent in by mistake, a "
             "'missing sheet' for every sheet would only bury the real cause.",
             "A submitted workbook with nothing but Sheet1."),
    "F023": ("The workbook uses its first dozen columns; a cell far beyond column ZZ is mostly a slip or a "
             "hostile file, and reading it would allocate memory for the whole sheet.",
             "Something written into cell XFD1048576 of 填报说明."),
    "F024": ("A cover page, the filling notes or a list of attachments hold no self-evaluation; listing them tells "
             "the reviewer that the page was not read.",
             "The workbook's first page is the cover “2023年度项目支出绩效自评报告”."),
    "F901": ("One odd file must not hold up the whole review; a file that times out is listed on its own and "
             "every other file gets its results.",
             "A workbook hiding hundreds of thousands of rows."),
    "F902": ("A bug in perfxl costs only the file it happened on and the batch completes; that file must be "
             "reviewed by hand.  A bug is not called a damaged file, so the clerk is not sent to save it again "
             "for nothing.",
             "A workbook that sets off a defect in the program."),
    "F903": ("The annotated copy is a convenience; the findings are still all in the summary workbook and "
             "findings.csv.",
             "A workbook openpyxl cannot save again."),
    "F904": ("A file that exhausts memory must not bring the whole review down; running out of memory is a "
             "different problem from a damaged file or a bug, and is dealt with differently.",
             "A workbook whose cells unpack to several GB of data."),
    "F905": ("A batch checks every file first and writes the annotated copies afterwards; a file saved again "
             "in between would give a summary and a copy of two different versions, and that is said, not "
             "mixed silently.",
             "A workbook the clerk saved once more in the shared folder while the batch ran."),
    "V001": ("Numbers stored as text do not add up in Excel, so a total formula misses them; perfxl reads "
             "them when they are unambiguous and says so.",
             "A target typed as “１,２３４．５” or “309.39万元”."),
    "V002": ("Amounts and quantitative indicators must be numbers to compute rates and scores; write words in "
             "完成情况 or the explanation instead.",
             "A quantitative indicator's actual value typed as 完成 or 较好."),
    "V003": ("A formula without a cached value reads as empty; taking it as 0 would give wrong totals and "
             "scores.",
             "The 执行率 column of a workbook filled by a script and sent in as it was."),
    "V004": ("An input whose value is unknown can be neither checked nor scored.",
             "A spending figure written by a script as “=B5+B6” and never calculated."),
    "V005": ("An error value (#DIV/0!, #REF! …) means a formula went wrong; the value is unknown.",
             "A formula showing #REF! after a cell it used was deleted."),
    "V006": ("For example 执行率 shows #DIV/0! when the full-year budget is 0; the check is not affected, but "
             "the printout looks broken.",
             "执行率 #DIV/0! on a row whose full-year budget is 0."),
    "V007": ("Once a cell is formatted as a date, a number typed into it shows as a date, and the value read "
             "cannot be trusted.",
             "A 分值 cell showing 1900-01-10."),
    "V008": ("Very long text is mostly a paste gone wrong; an Excel cell holds at most 32767 characters.",
             "The whole self-evaluation report pasted into 部门职能职责概述."),
    "V009": ("Headcounts, numbers of offices and numbers of cars are whole numbers.", "在职人数 typed as 9.5."),
    "V010": ("The evaluation year is matched against the batch's year and the titles.",
             "评价年度 typed as “23” or “二〇二三”."),
    "V011": ("The filing date tells when the workbook was submitted.",
             "填报日期 typed as “三月中旬” or “2024-02-30”."),
    "V012": ("Finance tables often use “—” for zero or none; where that is clear it reads as 0, with this "
             "note.",
             "政府性基金预算拨款 typed as “—”."),
    "V013": ("The direction decides how an indicator is scored; one that cannot be recognised cannot be "
             "scored.",
             "指标性质 typed as 大约."),
    "V014": ("The sign and the unit belong in the 指标性质 and 度量单位 columns; where they can be split off "
             "cleanly the value is read, with this note.",
             "年度指标值 typed as “≥10次”."),
    "V015": ("When the two disagree, the scoring method may not be what the clerk meant.",
             "指标性质 “≤” with 年度指标值 “≥90%”."),
    "V016": ("When the units differ, the target and the actual value may not be measured the same way.",
             "度量单位 “人” with 实际完成值 “10次”."),
    "P001": ("The unit profile is how the bureau identifies a unit, contacts its clerk and computes the staff "
             "control rate; a workbook with gaps cannot be filed and summarised.",
             "单位名称, 统一社会信用代码, 编制人数, 填报人, 联系电话 or 填报日期 left blank."),
    "P002": ("Placeholders such as “*”, “-”, “/” or “无” make a review system think a field is filled in when "
             "it is not.",
             "部门职能职责概述 filled with “无”, 填报人 with “/”."),
    "P003": ("The 18th character of the unified social credit code is a check character computed by "
             "GB 32100-2015; a mismatch means the code was copied wrongly and cannot be matched with the "
             "register of units.",
             "13430725006431661H written as 13430725006431661G."),
    "P004": ("The code has 18 characters: digits and capital letters other than I, O, Z, S and V; a code of "
             "the wrong length or characters identifies no unit.",
             "Only 17 characters typed, or a letter the code never uses."),
    "P005": ("The staff control rate is staff on post ÷ authorised headcount; above 100% the unit is over its "
             "quota, which reviewers watch.",
             "编制人数 11, 在职人数 12."),
    "P006": ("The unit type sorts units for the summary and the ranking; it must be one of the template's "
             "dropdown values.",
             "单位类型 typed as 社会团体 (choose 群团组织 or 其他)."),
    "P007": ("A self-evaluation reviews a year that is over; a year before 2015 or after this one is a slip "
             "(2023 typed as 1923 or 2032) and files the whole workbook under the wrong year.",
             "评价年度 filled in as “1923” or “2032”."),
    "P008": ("The finance bureau issues each year's template (title, points by that year's rules); a workbook "
             "filled in on last year's template matches neither.",
             "The 2023 self-evaluation filled in on the 2022 template."),
    "B001": ("Total funds equal the four sources, and also basic plus project spending; basic spending equals "
             "staff plus running costs. A total that differs from its parts means a figure was copied wrongly "
             "or a formula typed over, and the execution rate and score go wrong after it.",
             "Total spending typed as 310.39 while the four sources add up to 309.39."),
    "B002": ("执行率 and 较上年增减 are formula cells that perfxl always recomputes; but reviewers and the "
             "summary see the figure on the sheet, and a disagreement misleads them.",
             "执行率 typed over as 100% while spending ÷ budget is 95.20%."),
    "B003": ("No money may be spent without a budget; with a full-year budget of 0 the execution rate cannot "
             "be computed, usually because the adjusted budget was left out.",
             "项目支出 full-year budget blank, spending 120.00."),
    "B004": ("Spending may not exceed the adjusted full-year budget; overspending mostly means an unreported "
             "budget adjustment or a wrong figure, and reviewers must have it fixed.",
             "Total funds: full-year budget 300.00, spending 309.39."),
    "B005": ("An execution rate below 90% (or above 100%, per the rulebook) points at a problem in budgeting "
             "or spending, and the review asks for the reason in writing.",
             "Total funds executed at 82.00% with 偏差说明 blank or “无”."),
    "B006": ("The execution rate is worth 10 points and is the basic data of the whole evaluation; an empty "
             "table cannot be scored.",
             "The whole budget table blank."),
    "S001": ("三公经费合计 = overseas trips + hospitality + official cars; official cars = purchase + running "
             "costs. A mismatch means a figure was copied wrongly or a formula typed over, and the three-public "
             "control rate goes wrong.",
             "The three-public total typed as 4.75 while its three parts add up to 3.75."),
    "S002": ("Three-public spending is capped by its budget; spending above it must be fixed (the control rate "
             "should be ≤ 100%).",
             "Hospitality budget 3.00, spent 3.75."),
    "S003": ("Three-public spending may only fall (change rate ≤ 0); an increase needs a reason.",
             "Hospitality spent 3.75 against 3.20 last year."),
    "S004": ("Overseas trips and hospitality are managed by groups; costs without groups, or groups without "
             "costs, mean something was left out or mistyped.",
             "Overseas trips cost 2.50 with 0 groups."),
    "S005": ("Every group has at least one person, so fewer persons than groups means the two columns were "
             "swapped or mistyped.",
             "Hospitality: 26 groups, 20 persons."),
    "S006": ("Without an official car there should be no running costs; a car disposed of during the year "
             "needs explaining.",
             "Car running costs 1.20 with 公务用车保有量（辆） 0."),
    "S007": ("The number of cars is needed to check the car running costs; write 0 when there is none.",
             "公务用车保有量（辆） left blank."),
    "G001": ("A self-evaluation judges what was achieved against the goals set at the start of the year; "
             "without goals there is nothing to judge.",
             "The goals table holds only its header."),
    "G002": ("A row with only a number or a result and no goal cannot be evaluated; usually a gap or a "
             "misplaced row.",
             "Row 3 holds only its result."),
    "G003": ("The self-evaluation must state, goal by goal, what was actually achieved; a goal whose result is "
             "blank or only “无”, “/” or “略” cannot be evaluated and the review system does not pass it.",
             "The goal 开展科技志愿服务活动10次以上 with its result left blank or “略”."),
    "I001": ("The indicators of a department must cover outputs, benefits and satisfaction, worth 50, 30 and "
             "10 points.",
             "Output and benefit indicators but no satisfaction indicator."),
    "I002": ("The indicators are worth 90 points; without them there is no score.",
             "The indicator table holds only its header."),
    "I003": ("A level-2 indicator must belong to its level-1 indicator (数量指标 only to 产出指标), or its "
             "points count towards the wrong group.",
             "Level-1 效益指标 with level-2 数量指标."),
    "I004": ("Without its name, direction, target, actual value, weight or self-score an indicator can be "
             "neither checked nor scored.",
             "The weight of 党建活动开展次数 left blank."),
    "I005": ("An indicator weighted 0 or less scores nothing, as if it were not there, and upsets the group "
             "totals of the weights.",
             "An indicator with 分值 0."),
    "I006": ("By the rulebook the weights of the output, benefit and satisfaction indicators add up to 50, 30 "
             "and 10 (with 10 for the execution rate, 100 in all).",
             "Output indicator weights adding up to 52."),
    "I007": ("Scores out of 100 need weights that total 100; otherwise totals and grades cannot be compared.",
             "A rulebook of 10/50/30/20 followed by the indicators, totalling 110."),
    "I008": ("An indicator's score can be neither negative nor above its weight.",
             "An indicator weighted 5 self-scored 6."),
    "I009": ("A quantitative indicator's score follows from its target and actual value by the rules "
             "(财预〔2020〕10号); a self-score more than 0.1 point away must be corrected.",
             "Target ≥ 10, actual 8, weight 5, self-score 5 (it should be 4)."),
    "I010": ("A qualitative indicator is scored by its completion: achieved 80%–100%, partly achieved "
             "60%–80%, not achieved below 60% (of its weight).",
             "Completion “部分达成年度指标并具有一定效果”, weight 10, self-score 9."),
    "I011": ("The band of a qualitative score follows from its completion; without one from the list the "
             "score cannot be checked.",
             "The qualitative indicator 公民科学素质水平进一步提高 with its completion blank."),
    "I012": ("An indicator not fully met must be analysed and a fix proposed; that is the heart of a "
             "self-evaluation and cannot be left blank or “无”.",
             "Target ≥ 10, actual 8, explanation “无”."),
    "I013": ("Rates (pass rates, coverage) reach at most 100%; a ≥ target above 100% is usually a slip or a "
             "count written as a percentage.",
             "乡镇科协组织规范合格率 ≥ 120%."),
    "I014": ("A cost indicator is a reverse indicator; scoring it with ≥ would reward overspending.",
             "The cost indicator 人均培训成本 with direction ≥."),
    "I015": ("The same indicator twice scores twice; usually a row copied and not changed.",
             "党建活动开展次数 on two rows."),
    "I016": ("Far exceeding a target usually means it was set too low; reviewers look at it and may mark it "
             "down. Explain it and set next year's target realistically.",
             "Target ≥ 10 science volunteer events, 151 held."),
    "T001": ("The execution score = min(spending ÷ full-year budget, 1) × weight is the one score that can be "
             "computed directly; it should not be estimated.",
             "Execution 95.00%, self-score 10 (it should be 9.50)."),
    "T002": ("A subtotal is a SUMIF formula; typed over, or out of step after indicator rows were added or "
             "removed, it puts the total and the grade wrong.",
             "Output subtotal typed as 50 while the output indicators' self-scores add up to 48."),
    "T003": ("The total decides the grade and the ranking and must equal the sum of its four parts.",
             "The four parts add up to 93.50, the total says 95."),
    "T004": ("The grade follows from the total (by default 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60); the "
             "self-assessed grade must match it.",
             "Total 88, grade 优."),
    "T005": ("The template fills the weights from the rulebook (10/50/30/10 by default, 100 in all); changed "
             "weights make scores incomparable.",
             "The output weight changed to 60."),
    "T006": ("The execution self-score and the grade are filled in by the unit and are what the review "
             "compares against.",
             "自评等级 left blank."),
    "T007": ("A grade is one of 优, 良, 中 and 差, so that units can be summarised and ranked.",
             "自评等级 typed as 优秀 or A."),
    "X001": ("A unit submitting twice would be summarised and ranked twice; two units with the same code mean "
             "one of them mistyped it.",
             "One unit's workbook sent in twice under two file names."),
    "X002": ("A unit sends in one workbook; the same name with different codes means a code or a name is "
             "wrong.",
             "Two workbooks from 桃源县科学技术协会, one with a mistyped code."),
    "X003": ("A batch evaluates one year; another year usually means last year's workbook or a mistyped "
             "year.",
             "A workbook of 2022 in the batch of 2023."),
    "F025": ("Funds, goals and indicators are the three parts of the national form; without one, its checks and "
             "its part of the score cannot be done.",
             "A form with its indicator table but no funds table (initial budget, full-year budget, spending)."),
    "J001": ("Published project forms often leave the total row at 0 while the sources hold money; the rate, "
             "the score and the county totals are all computed from the total row.",
             "Total spending 0, the current-year appropriation 86.40."),
    "J002": ("Without weights, neither the scores nor the weights per level can be checked, and no review "
             "score can be computed.",
             "A county's simplified form with a score column but no weight column."),
    "J003": ("The full-year budget and the spending are what the execution rate and its score are computed "
             "from; they cannot be blank.",
             "The total full-year budget left blank, and its sources too."),
    "J004": ("The total funds must equal the sum of their sources; otherwise a figure was copied wrongly and "
             "the rate and score are off. perfxl uses the sum of the sources.",
             "Total spending 120.00 while the three sources add up to 118.50."),
    "J005": ("The execution rate is spending divided by the full-year budget; a rate typed by hand that does "
             "not match makes the execution score wrong too.",
             "Budget 100, spending 90, rate typed as 95%."),
    "J006": ("The execution score follows the rulebook (in proportion to the rate up to 100%); hand-made "
             "scores are often too high.",
             "Execution 90.90%, weight 10, score typed as 10."),
    "J007": ("Project spending may not exceed its full-year budget; an excess usually means a budget "
             "adjustment was not entered or a figure is wrong.",
             "Total budget 52.51, spending 55.00."),
    "J008": ("The project name, its supervising department and the implementing unit are what the county "
             "summary groups by and matches against the department's own self-evaluation.",
             "The implementing unit left blank."),
    "J009": ("The year files the form in this evaluation and matches it to the department's workbook.",
             "The title only says “项目支出绩效自评表”."),
    "I017": ("Rows copied from the form's example (“指标1：”, “……”) that carry a weight and a score are "
             "scored as if they were real indicators, and the weights no longer add up.",
             "An indicator named only “指标1：” with weight 10 and score 10."),
    "X004": ("A department's projects are part of its project spending; when they add up to more, a project's "
             "amount or the department's figure is wrong.",
             "Three projects of 示例县交通运输局 spent 420 万元 in all; its overall workbook shows 380 万元 of "
             "project spending."),
    "X005": ("Project forms and the department's overall self-evaluation are sent together; without the overall "
             "workbook the projects' sum cannot be checked.",
             "示例县商务局 sent two project forms only."),
}
