"""What the case services say, in Japanese and English: one catalogue for the commands and the screen."""

from __future__ import annotations

from ..i18n import Catalog, say
from ..registry.errors import RegistryError

MESSAGES: Catalog = {
    # --- whose case it is (shown before every change) ---------------------------------
    "head_id": ("協定ID {id}　{org}", "Case {id}  {org}"),
    "head_type": ("  種別: {type}　状態: {status}", "  Type: {type}  Status: {status}"),
    "head_title": ("  名称: {title}", "  Title: {title}"),
    "head_current": ("  現在の提案書: {file}（{state}）", "  Current proposal: {file} ({state})"),
    # --- refusals (exit 1, nothing changed) -----------------------------------------
    "no_match": ("「{ref}」に当たる案件がありません。協定IDか企業等名称の一部を指定してください（一覧: kyotei registry list）。",
                 "No case matches {ref!r}. Give a case ID or part of the organisation's name (see kyotei registry list)."),
    "ambiguous": ("「{ref}」に当たる案件が複数あります。協定IDで指定してください:\n{cases}",
                  "{ref!r} matches several cases; give the case ID:\n{cases}"),
    "has_errors": ("協定ID {id} の現在の提案書には不備があるため、締結を記録しません（何も変更していません）:\n{errors}\n"
                   "修正版の提出を受けて登録してください。例外的に締結する場合は --force --reason 理由 を付けます。",
                   "The current proposal of case {id} has errors, so the signing was not recorded (nothing changed):\n"
                   "{errors}\nRegister the corrected proposal first. For a rare exception add --force --reason TEXT."),
    "force_needs_reason": ("--force には理由（--reason）が必要です。理由は履歴に残ります。",
                           "--force needs a reason (--reason); it is kept in the history."),
    "unknown_item": ("連携事項の番号 {item} はこの協定にありません（連携事項は 1〜{count}）。",
                     "Item {item} does not exist in this agreement (items 1–{count})."),
    "no_items": ("協定ID {id} には連携事項が登録されていません。kyotei registry set {id} --items-file ファイル で登録してから実績を記録してください。",
                 "Case {id} has no items yet. Store them with kyotei registry set {id} --items-file FILE first."),
    "not_confirmed": ("確認が取れなかったため、何も変更していません。端末以外から実行する場合は --yes を付けてください。",
                      "Not confirmed, so nothing was changed. Add --yes when running without a terminal."),
    "merge_self": ("同じ案件どうしは統合できません（協定ID {id}）。", "A case cannot be merged with itself (case {id})."),
    "merge_signed": ("協定ID {id} は締結後の案件のため、統合できません（統合できるのは受付・協議中の案件です）。",
                     "Case {id} has been signed; only received cases or cases in consultation can be merged into another."),
    "merged_away": ("協定ID {id} は協定ID {into} に統合されています。", "Case {id} was merged into case {into}."),
    "split_unknown_file": ("協定ID {id} に「{file}」というファイルはありません。ファイルは kyotei registry show {id} で確認できます。",
                           "Case {id} has no file {file!r}; see its files with kyotei registry show {id}."),
    "split_only_file": ("「{file}」は協定ID {id} の唯一のファイルのため、分離できません。",
                        "{file!r} is the only file of case {id}; there is nothing to split it from."),
    "split_signed": ("協定ID {id} は締結後の案件のため、ファイルを分離できません。", "Case {id} has been signed; its files stay with it."),
    "split_no_proposal": ("「{file}」の読み取り内容が記録されていないため（以前のバージョンで登録）、分離できません。"
                          "ファイルを kyotei registry add で登録し直してください。",
                          "{file!r} was registered by an earlier version without its proposal; register the file again "
                          "with kyotei registry add instead."),
    "bad_choice_type": ("連携協定の種別は「個別」か「包括」で書いてください: {value}",
                        "Write the agreement type as 「個別」 (individual) or 「包括」 (comprehensive): {value}"),
    "bad_choice_field": ("分野の名前として読めません: {value}（書ける分野: {fields}）",
                         "Not a field's name: {value} (fields: {fields})"),
    "bad_correction_field": ("訂正できる項目ではありません: {field}（訂正できる項目: {fields}）",
                             "Not a field that can be corrected: {field} (fields: {fields})."),
    "has_review": ("協定ID {id} には原本と照合していない要確認の項目があるため、締結を記録しません（何も変更していません）:\n{items}\n"
                   "原本と照合して kyotei registry confirm {id} 番号 で照合済みにするか、kyotei registry correct で値を訂正してください。"
                   "例外的に締結する場合は --force --reason 理由 を付けます。",
                   "Case {id} has review items nobody has compared with the original, so the signing was not recorded "
                   "(nothing changed):\n{items}\nCompare them and run kyotei registry confirm {id} NO, or correct the "
                   "value with kyotei registry correct. For a rare exception add --force --reason TEXT."),
    "documents_fail": ("協定ID {id} の協定書（様式２・３）を作成できないため、締結を記録しません（何も変更していません）: {detail}",
                       "Form 2/3 of case {id} cannot be made, so the signing was not recorded (nothing changed): {detail}"),
    "bad_correction_date": ("日付として正しくないため訂正しません（何も変更していません）: {value}（{detail}）"
                            "例: 令和8年6月1日、R8.6.1、2026-06-01",
                            "Not a valid date, so nothing was corrected: {value} ({detail}). "
                            "E.g. 令和8年6月1日, R8.6.1, 2026-06-01."),
    "bad_correction_email": ("メールアドレスの形式が正しくないため訂正しません（何も変更していません）: {value}（例: tanto@example.co.jp）",
                             "Not a valid e-mail address, so nothing was corrected: {value} (e.g. tanto@example.co.jp)."),
    "bad_correction_phone": ("電話番号の形式が正しくないため訂正しません（何も変更していません）: {value}"
                             "（市外局番から10桁、携帯電話などは11桁。例: 0166-25-6012）",
                             "Not a valid phone number, so nothing was corrected: {value} (10 digits with the area code, "
                             "11 for mobiles and the like, e.g. 0166-25-6012)."),
    "confirm_unknown": ("協定ID {id} に要確認の項目 {item} はありません（項目は kyotei registry show {id} で確認できます）。",
                        "Case {id} has no review item {item} (see kyotei registry show {id})."),
    "confirm_closed": ("協定ID {id} の要確認の項目 {item} は既に{how}です（何も変更していません）。",
                       "Review item {item} of case {id} is already {how} (nothing changed)."),
    "correct_unchanged": ("協定ID {id} の「{field}」は既に「{value}」です（何も変更していません）。読み取った値が正しく、"
                          "要確認の項目を閉じるときは kyotei registry confirm {id} 番号（画面では「原本と照合済み」）を使ってください。",
                          "{field} of case {id} is already 「{value}」 (nothing changed). If the value read is right and "
                          "a review item is open, close it with kyotei registry confirm {id} NO (「原本と照合済み」 on the screen)."),
    "empty_items": ("連携事項が空です（1行に1件ずつ書いてください）。", "No items given (one item per line)."),
    # --- plausibility warnings ------------------------------------------------------
    "warn_sign_before_proposal": ("締結日 {date} が提案書の提出日 {proposed} より前です。日付を確認してください。",
                                  "The signing date {date} is before the proposal's date {proposed}: please check it."),
    "warn_sign_before_receipt": ("締結日 {date} が受付日 {received} より前です。過去に締結した協定を登録している場合のほかは、日付を確認してください。",
                                 "The signing date {date} is before the case was received ({received}): check it, "
                                 "unless you are registering an agreement signed in the past."),
    "warn_sign_future": ("締結日 {date} は今日（{today}）より後の日付です。日付を確認してください。",
                         "The signing date {date} is after today ({today}): please check it."),
    "warn_merge_names": ("協定ID {other}（{other_name}）と協定ID {keep}（{keep_name}）は相手方の名称が違います。"
                         "同じ企業等の同じ提案か確認してください（誤って統合したときは kyotei registry split {keep} ファイル で分けられます）。",
                         "Case {other} ({other_name}) and case {keep} ({keep_name}) name different organisations: check "
                         "they are one proposal (kyotei registry split {keep} FILE undoes a wrong merge)."),
    "warn_result_future": ("実施日 {date} は今日（{today}）より後の日付です。予定ではなく実施した実績を登録してください。",
                           "The result's date {date} is after today ({today}): record results once done."),
    "warn_result_before_signing": ("実施日 {date} は締結日 {signed} より前です。協定の連携実績は締結後のものです。日付と協定を確認してください。",
                                   "The result's date {date} is before the signing ({signed}): results are work "
                                   "done under the agreement. Check the date and the case."),
    "warn_result_fy_before_signing": ("{fy}は締結日 {signed}（{signed_fy}）より前の年度です。年度と協定を確認してください。",
                                      "{fy} is before the fiscal year of the signing ({signed}, {signed_fy}): check the "
                                      "fiscal year and the case."),
    "warn_result_fy_future": ("{fy}はまだ始まっていません（今年度は{this_fy}）。予定ではなく実施した実績を登録してください。",
                              "{fy} has not begun (this is {this_fy}): record results once done."),
    "items_signed": ("協定ID {id} は締結済みのため、連携事項は変更しません（何も変更していません）。締結した協定の変更は"
                     "変更協定です: kyotei registry amend {id} --items-file ファイル --date 変更日 で記録し、変更協定書を作成してください。",
                     "Case {id} is signed, so its items were not changed (nothing changed). A signed agreement changes by "
                     "an amendment: kyotei registry amend {id} --items-file FILE --date DATE records it and writes the 変更協定書."),
    "notice_needs_date": ("解約の申出による終了には、書面で通知した日（--notice-date）が必要です（協定書 第４条第２項: "
                          "解約予定日の１か月前までに書面で通知）。何も変更していません。",
                          "Ending on notice needs the day written notice was given (--notice-date; Form 2 article 4(2): "
                          "one month before the end). Nothing changed."),
    "notice_after_end": ("通知日 {notice} が終了日 {end} より後です。", "The notice date {notice} is after the end {end}."),
    "notice_too_short": ("協定ID {id}: {notice} の通知では、{end} に終了できません（協定書 第４条第２項: 解約予定日の"
                         "１か月前までに書面で通知）。この通知で終了できる最も早い日は {earliest} です。"
                         "相手方と合意して短くする場合は --force --reason 理由 を付けてください。何も変更していません。",
                         "Case {id}: notice given on {notice} cannot end it on {end} (Form 2 article 4(2): one month's "
                         "written notice). The earliest end this notice allows is {earliest}. For a shorter period "
                         "agreed with the partner add --force --reason TEXT. Nothing changed."),
    "bad_outcome": ("協議の結果「{outcome}」は使えません（{outcomes}）。", "Unknown outcome {outcome!r} ({outcomes})."),
    "review_not_signed": ("協定ID {id} はまだ締結していません。", "Case {id} is not signed."),
    "exempt_needs_reason": ("見直しの対象外にするには理由（--exempt-reason、例: 災害時の物資供給に備えた協定）が必要です。"
                            "何も変更していません。",
                            "Exempting an agreement from the review needs a reason (--exempt-reason). Nothing changed."),
    "non_renewal_late": ("協定ID {id}: 不更新の申出（{notice}）が期限 {deadline} を過ぎているため、満了日 {expiry} での終了は"
                         "記録しません（協定書 第４条第１項: 満了する日の１か月前までに書面で申出。期限後は自動更新されます）。"
                         "相手方と合意している場合は --force --reason 理由 を付けてください。何も変更していません。",
                         "Case {id}: the objection to the renewal ({notice}) came after the deadline {deadline}, so the "
                         "end at expiry {expiry} is not recorded (Form 2 article 4(1)). If agreed with the partner add "
                         "--force --reason TEXT. Nothing changed."),
    "amend_needs_items": ("第２条（連携・協力事項）の変更には、変更後の連携事項（--items-file または --item）が必要です。",
                          "Amending article 2 (the items) needs the new items (--items-file or --item)."),
    "amend_items_article": ("連携事項（--items-file, --item）は第２条の変更です。第{article}条の変更は --new 変更後の文言 で指定してください。",
                            "Items (--items-file, --item) amend article 2; give article {article}'s new text with --new."),
    "amend_none": ("協定ID {id} には記録された変更がありません。", "Case {id} has no recorded amendment."),
    "warn_amend_future": ("変更日 {date} は今日（{today}）より後です。その日から効力を生ずる変更として記録しました。",
                          "The amendment date {date} is after today ({today}): recorded as applying from that day."),
    "warn_forced": ("{what}があるまま締結を記録しました（理由: {reason}）。", "Signed despite {what} (reason: {reason})."),
    # what a forced signing went past, named one by one (a sheet left open is not an error in the proposal)
    "forced_errors": ("不備", "the errors"),
    "forced_review": ("未確認の要確認項目", "open review items"),
    "forced_unjudged": ("検討票の未了の項目（{n}件）", "{n} open items of the judgement sheet"),
    "forced_join": ("・", " and "),
}


def say_case(key: str, **params: object) -> str:
    return say(MESSAGES, key, **params)


class CaseError(RegistryError):
    """A request about a case that cannot be right: nothing was changed (exit code 1)."""

    catalog = MESSAGES
