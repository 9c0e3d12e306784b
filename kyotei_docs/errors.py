"""Errors that end a file's processing with a clear message (exit code 2)."""

from __future__ import annotations

from .i18n import Catalog, say

MESSAGES: Catalog = {
    "empty": ("ファイルが空です（0 バイト）。提出者に送り直しを依頼してください。",
              "The file is empty (0 bytes). Ask the sender to send it again."),
    "not_found": ("ファイルが見つかりません: {path}", "File not found: {path}"),
    "unknown_format": ("Word（.docx）でも PDF でもないファイルです。中身を確認してください。",
                       "This is neither a Word (.docx) nor a PDF file. Please check its content."),
    "not_zip": ("Word ファイル（.docx）として開けません。ファイルが壊れているか、別の形式です。",
                "Cannot open as a Word (.docx) file: it is damaged or of another format."),
    "truncated_zip": ("Word ファイルが途中で切れています（送信や保存の失敗）。送り直しを依頼してください。",
                      "The Word file is truncated (failed transfer or save). Ask for it again."),
    "not_docx": ("Word 文書ではない ZIP ファイルです（{kind}）。", "A ZIP file that is not a Word document ({kind})."),
    "zip_bomb": ("展開すると異常に大きくなるファイルのため、安全のため読み込みを中止しました（{detail}）。",
                 "Reading stopped for safety: the file expands to an abnormal size ({detail})."),
    "encrypted_office": ("パスワードで保護された Office ファイルです。パスワードを解除したファイルを依頼してください。",
                         "The Office file is password-protected. Ask for a copy without a password."),
    "legacy_doc": ("古い Word 形式（.doc）です。Word で .docx 形式に保存し直してから読み込んでください。",
                   "This is a legacy Word (.doc) file. Save it as .docx in Word and try again."),
    "xml_forbidden": ("文書内に危険な XML 構造（DOCTYPE/エンティティ）があるため読み込みを中止しました。",
                      "Reading stopped: the document contains a forbidden XML construct (DOCTYPE/entities)."),
    "bad_xml": ("文書の XML が壊れていて読めません（{detail}）。", "The document XML is broken ({detail})."),
    "not_form1": ("様式１（連携協定に関する提案書）ではないようです。様式１の項目が見つかりません。",
                  "This does not look like Form 1 (連携協定に関する提案書): its entries were not found."),
    "internal": ("読み込み中に予期しないエラーが発生しました（{detail}）。", "Unexpected error while reading ({detail})."),
}


class KyoteiError(Exception):
    """A failure with a stable ``code`` and a message for staff."""

    catalog: Catalog = MESSAGES

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return say(self.catalog, self.code, **self.params)

    def __str__(self) -> str:
        return self.message


class UnreadableError(KyoteiError):
    """The submitted file cannot be read as Form 1 (exit code 2)."""
