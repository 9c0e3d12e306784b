"""Errors that end a file's processing with a clear message and an exit code."""

from __future__ import annotations

from .exitcodes import ExitCode
from .i18n import Catalog, say

#: what every refusal of a file only OCR can read says: OCR would read it, and how to turn it on
_OCR_OFF = ("文字認識（OCR）なら読み取れます（結果は必ず原本と照合してください）。読み取るには、Tesseract（日本語データ jpn 付き）を"
            "インストールし（Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-jpn）、設定ファイルの [reading] ocr を "
            "\"auto\" にするか、コマンドに --ocr を付けてください。",
            "OCR would read it (check every OCR result against the original): install Tesseract with Japanese data (jpn) "
            "(Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-jpn) and set [reading] ocr = \"auto\" in the "
            "configuration, or add --ocr to the command.")

MESSAGES: Catalog = {
    "empty": ("ファイルが空です（0 バイト）。提出者に送り直しを依頼してください。",
              "The file is empty (0 bytes). Ask the sender to send it again."),
    "not_found": ("ファイルが見つかりません: {path}", "File not found: {path}"),
    "unknown_format": ("読み取れる形式（Word の .docx・.doc、Excel の .xlsx・.xls、PDF、.odt、.rtf、画像の .jpg・.png・.tif）ではありません。中身を確認してください。",
                       "Not a format kyotei reads (Word .docx/.doc, Excel .xlsx/.xls, PDF, .odt, .rtf, images .jpg/.png/.tif). Please check its content."),
    "not_zip": ("Word ファイル（.docx）として開けません。ファイルが壊れているか、別の形式です。",
                "Cannot open as a Word (.docx) file: it is damaged or of another format."),
    "truncated_zip": ("{kind} ファイルが途中で切れています（送信や保存の失敗）。送り直しを依頼してください。",
                      "The {kind} file is truncated (failed transfer or save). Ask for it again."),
    "corrupt_zip": ("Word ファイル（または ZIP 形式の文書）が壊れていて読めません（{detail}）。提出者に保存し直して送り直すよう依頼してください。",
                    "The Word file (or zip-based document) is damaged ({detail}). Ask the sender to save it again and resend."),
    "too_large": ("ファイルが大きすぎます（{size} MB、上限 {limit} MB）。安全のため読み込みませんでした。様式１だけのファイルを依頼してください。",
                  "The file is too large ({size} MB, limit {limit} MB) and was not read. Ask for a file holding Form 1 only."),
    "other_office": ("PowerPoint のファイルです。様式１は Word（.docx）・Excel（.xlsx）のファイルか PDF で提出するよう依頼してください。",
                     "A PowerPoint file. Ask for Form 1 as a Word (.docx) or Excel (.xlsx) file, or a PDF."),
    "xlsx_too_large": ("Excel ファイルのシートが大きすぎるため、安全のため読み込みを中止しました（{detail}）。様式１だけのシートにしたファイルを依頼してください。",
                       "Reading stopped for safety: the Excel workbook is too large ({detail}). Ask for a workbook holding "
                       "Form 1 only."),
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
    # --- PDF, scans, legacy formats, limits (issue 3) ---
    "pdf_password": ("パスワードを入力しないと開けない PDF です。パスワードを外した PDF か Word ファイル（.docx）を提出者に依頼してください。",
                     "This PDF needs a password to open. Ask the sender for a copy without a password, or the Word file (.docx)."),
    "pdf_broken": ("PDF ファイルが壊れていて読めません（{detail}）。提出者に送り直しを依頼してください。",
                   "The PDF file is damaged and cannot be read ({detail}). Ask the sender to send it again."),
    "scanned_pdf": ("スキャンした画像の PDF で、文字の情報がありません。" + _OCR_OFF[0] + "提出者に Word ファイル（.docx）か、Word から保存した（文字を選択できる）PDF を依頼することもできます。",
                    "This PDF is a scanned image with no text. " + _OCR_OFF[1] + " You can also ask the sender for the Word file (.docx) "
                    "or a PDF saved from Word (with selectable text)."),
    "pdf_no_unicode": ("PDF の文字情報が読めない形式です（フォントに文字コードの対応表がありません）。" + _OCR_OFF[0]
                       + "Word ファイル（.docx）か別の方法で保存した PDF を依頼することもできます。",
                       "The PDF's text cannot be decoded (its fonts have no character map). " + _OCR_OFF[1]
                       + " You can also ask for the Word file (.docx) or a PDF saved another way."),
    "pdf_outlines": ("PDF の文字が図形（アウトライン）に変換されていて、文字の情報がありません。" + _OCR_OFF[0]
                     + "Word ファイル（.docx）か文字を選択できる PDF を依頼することもできます。",
                     "The PDF's text was converted to outlines (shapes): it holds no characters. " + _OCR_OFF[1]
                     + " You can also ask for the Word file (.docx) or a PDF with selectable text."),
    "image_needs_ocr": ("画像ファイル（写真・スキャン）です。" + _OCR_OFF[0] + "提出者に Word ファイル（.docx）か PDF を依頼することもできます。",
                        "An image file (a photo or scan). " + _OCR_OFF[1] + " You can also ask the sender for the Word file (.docx) or a PDF."),
    "image_broken": ("画像ファイルが壊れていて読めません（{detail}）。提出者に送り直しを依頼してください。",
                     "The image file is damaged and cannot be read ({detail}). Ask the sender to send it again."),
    "image_too_large": ("画像が大きすぎます（{pixels} 百万画素、上限 {limit} 百万画素）。安全のため読み込みませんでした。解像度を下げた画像か PDF を依頼してください。",
                        "The image is too large ({pixels} million pixels, limit {limit} million) and was not read. "
                        "Ask for a smaller image or a PDF."),
    "ocr_unavailable": ("--ocr には Tesseract（日本語データ jpn 付き）が必要ですが見つかりません（Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-jpn）。",
                        "--ocr needs Tesseract with Japanese data (jpn), which was not found "
                        "(Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-jpn)."),
    # never shown: the PDF reader's first child tells its parent to read the file again with OCR's time
    "ocr_needed": ("文字認識（OCR）で読み直します。", "Reading again with OCR."),
    "ocr_failed": ("文字認識（OCR）に失敗しました（{detail}）。", "OCR failed ({detail})."),
    "too_complex": ("読み込みに必要なメモリが上限（{limit} MB）を超えたため、安全のため中止しました。ファイルが異常に大きいか壊れている可能性があります。",
                    "Reading stopped for safety: it needed more memory than the limit ({limit} MB). The file is abnormally large or damaged."),
    "timeout": ("読み込みが制限時間（{seconds} 秒）内に終わらなかったため中止しました。ファイルが異常に複雑か壊れている可能性があります。",
                "Reading stopped: it did not finish within the time limit ({seconds} s). The file is abnormally complex or damaged."),
    "crashed": ("読み込み処理が異常終了しました（{detail}）。ファイルが壊れている可能性があります。",
                "The reader stopped abnormally ({detail}); the file is probably damaged."),
    "legacy_needs_office": ("古い形式（{kind}）の読み込みには LibreOffice が必要ですが、見つかりません。LibreOffice をインストールするか、"
                            "提出者に Word で .docx 形式に保存し直したファイルを依頼してください。",
                            "Reading the legacy format ({kind}) needs LibreOffice, which was not found. Install LibreOffice, "
                            "or ask the sender to save the file as .docx in Word."),
    "legacy_convert_failed": ("LibreOffice で {kind} ファイルを変換できませんでした（{detail}）。提出者に .docx 形式で送り直しを依頼してください。",
                              "LibreOffice could not convert the {kind} file ({detail}). Ask the sender for a .docx file."),
}


class KyoteiError(Exception):
    """A failure with a stable ``code``, a message for staff and the command's exit code.

    Subclasses name their own :class:`~kyotei_docs.exitcodes.ExitCode`; the
    command line's one handler prints :attr:`message` and exits with it.
    """

    catalog: Catalog = MESSAGES
    exit_code: ExitCode = ExitCode.UNREADABLE

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
    """The submitted file cannot be read as Form 1 (exit code 3, ``UNREADABLE``)."""

    exit_code = ExitCode.UNREADABLE
