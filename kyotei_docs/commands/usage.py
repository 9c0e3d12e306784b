"""A usage mistake, said in the staff's language: the usage line, one sentence, where to get help.

click words its usage errors in English (``Error: Missing option '--out'.``,
``'令和7年度' is not a valid integer.``, ``Try 'kyotei check --help' for
help.``).  :func:`show_usage_error` prints the same three parts in Japanese
(English with ``--lang en``) and never an English ``Error:`` around a Japanese
sentence.  The sentence is rebuilt from the exception's own fields (which
parameter, which option, which command, the close matches) where click keeps
them; the few sentences click's parameter types write (not an integer, not
one of the choices, a folder where a file is expected, …) are recognised by
click's message ids, listed once in :data:`_CLICK_SENTENCES`.  A sentence of
our own (a :class:`click.ParamType` of ours, ``click.UsageError(say(...))``)
is already in the right language and is kept as it is.
"""

from __future__ import annotations

import re

import click
from click import exceptions as ce

from ..i18n import Catalog, get_lang, say

MESSAGES: Catalog = {
    "usage_error": ("{message}", "Usage error: {message}"),
    "try_help": ("使い方は「{command} --help」で表示できます。", "Run '{command} --help' for help."),
    "missing_argument": ("{hint} を指定してください。", "Missing argument {hint}."),
    "missing_option": ("{option} を指定してください。", "Missing option {option}."),
    "choose_from": ("（指定できる値: {choices}）", "(choose from: {choices})"),
    "no_such_option": ("{option} というオプションはありません。", "No such option: {option}."),
    "no_such_command": ("{command} というコマンドはありません。", "No such command: {command}."),
    "did_you_mean": ("もしかして {names} ですか？", "Did you mean {names}?"),
    "bad_value": ("{hint} の値が正しくありません: {reason}", "Invalid value for {hint}: {reason}"),
    "bad_value_bare": ("値が正しくありません: {reason}", "Invalid value: {reason}"),
    "needs_value": ("{option} の後に値を指定してください。", "Option {option} needs a value."),
    "needs_values": ("{option} の後に値を {n} 個指定してください。", "Option {option} needs {n} values."),
    "takes_no_value": ("{option} には値を付けません。", "Option {option} takes no value."),
    "extra_args": ("余分な引数があります: {args}（値に空白がある場合は \"\" で囲んでください）",
                   "Unexpected extra argument(s): {args} (quote a value that contains spaces)"),
    "missing_command": ("コマンドを指定してください。", "Missing command."),
    "arg_values": ("{name} には値を {n} 個指定してください。", "{name} takes {n} values."),
    # sentences of click's parameter types
    "not_int": ("「{value}」は整数ではありません。", "{value!r} is not a whole number."),
    "not_number": ("「{value}」は数値ではありません。", "{value!r} is not a number."),
    "not_bool": ("「{value}」は yes/no（true/false）ではありません。", "{value!r} is not yes/no (true/false)."),
    "not_choice": ("「{value}」は指定できません。指定できる値: {choices}", "{value!r} is not one of: {choices}."),
    "out_of_range": ("{value} は範囲外です（{range}）。", "{value} is out of range ({range})."),
    "not_found": ("「{path}」が見つかりません。", "{path!r} does not exist."),
    "is_file": ("「{path}」はファイルです。フォルダを指定してください。", "{path!r} is a file; give a folder."),
    "is_folder": ("「{path}」はフォルダです。ファイルを指定してください。", "{path!r} is a folder; give a file."),
    "not_readable": ("「{path}」を読み取れません（権限がありません）。", "{path!r} cannot be read (no permission)."),
    "not_writable": ("「{path}」に書き込めません（権限がありません）。", "{path!r} cannot be written (no permission)."),
}

#: click's parameter-type sentences (its gettext message ids, formatted) → our catalogue key
_CLICK_SENTENCES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^'(?P<value>.*)' is not a valid integer( range)?\.$", re.S), "not_int"),
    (re.compile(r"^'(?P<value>.*)' is not a valid float( range)?\.$", re.S), "not_number"),
    (re.compile(r"^'(?P<value>.*)' is not a valid boolean\..*$", re.S), "not_bool"),
    (re.compile(r"^(?P<value>.*) is not in the range (?P<range>.*)\.$", re.S), "out_of_range"),
    (re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$", re.S), "not_choice"),
    (re.compile(r"^'(?P<value>.*)' is not (?P<choices>'.*')\.$", re.S), "not_choice"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<path>.*)' does not exist\.$", re.S), "not_found"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<path>.*)' is a file\.$", re.S), "is_file"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<path>.*)' is a directory\.$", re.S), "is_folder"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<path>.*)' is not readable\.$", re.S), "not_readable"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<path>.*)' is not writable\.$", re.S), "not_writable"),
]
_REQUIRES = re.compile(r"^Option '(?P<option>.*)' requires (?:an argument|(?P<n>\d+) arguments)\.$")
_NO_VALUE = re.compile(r"^Option '(?P<option>.*)' does not take a value\.$")
_EXTRA = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S)
_ARG_VALUES = re.compile(r"^Argument '(?P<name>.*)' takes (?P<n>\d+) values\.$")


def _hint(param: click.Parameter | None, ctx: click.Context | None, given: object = None) -> str:
    """How the parameter is named on the command line: ``--out`` or ``FILE``."""
    if given is not None:
        names = [given] if isinstance(given, str) else list(given)  # type: ignore[call-overload]
        return " / ".join(str(n).strip("'") for n in names)
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return " / ".join(param.opts)
    if ctx is not None:
        return param.make_metavar(ctx)
    return param.human_readable_name


def _quoted(names: list[str]) -> str:
    return "、".join(names) if get_lang() == "ja" else ", ".join(names)


def type_sentence(text: str) -> str:
    """One of click's parameter-type sentences in the current language; anything else unchanged."""
    for pattern, key in _CLICK_SENTENCES:
        m = pattern.match(text)
        if m:
            fields = m.groupdict()
            if "choices" in fields:
                fields["choices"] = _quoted(re.findall(r"'([^']*)'", fields["choices"]) or [fields["choices"]])
            return say(MESSAGES, key, **fields)
    return text


def usage_message(exc: ce.UsageError) -> str:
    """The sentence saying what is wrong with the command line, in the current language."""
    ctx = exc.ctx
    if isinstance(exc, ce.MissingParameter):
        param = exc.param
        hint = _hint(param, ctx, exc.param_hint)
        key = "missing_option" if isinstance(param, click.Option) or exc.param_type == "option" else "missing_argument"
        text = say(MESSAGES, key, hint=hint, option=hint)
        if param is not None and isinstance(param.type, click.Choice):
            text += say(MESSAGES, "choose_from", choices=_quoted([str(c) for c in param.type.choices]))
        return text
    if isinstance(exc, ce.BadParameter):
        reason = type_sentence(exc.message)
        hint = _hint(exc.param, ctx, exc.param_hint)
        return say(MESSAGES, "bad_value", hint=hint, reason=reason) if hint else say(MESSAGES, "bad_value_bare",
                                                                                      reason=reason)
    if isinstance(exc, ce.NoSuchOption):
        text = say(MESSAGES, "no_such_option", option=exc.option_name)
        return _with_matches(text, exc.possibilities)
    if isinstance(exc, ce.NoSuchCommand):
        text = say(MESSAGES, "no_such_command", command=exc.command_name)
        return _with_matches(text, exc.possibilities)
    message = exc.message
    for pattern, key in ((_REQUIRES, "needs_value"), (_NO_VALUE, "takes_no_value"), (_EXTRA, "extra_args"),
                         (_ARG_VALUES, "arg_values")):
        m = pattern.match(message)
        if m:
            fields = {k: v for k, v in m.groupdict().items() if v is not None}
            if key == "needs_value" and "n" in fields:
                key = "needs_values"
            return say(MESSAGES, key, **fields)
    if message == "Missing command.":
        return say(MESSAGES, "missing_command")
    return type_sentence(message)


def _with_matches(text: str, possibilities: list[str] | None) -> str:
    if not possibilities:
        return text
    return f"{text} {say(MESSAGES, 'did_you_mean', names=_quoted(sorted(possibilities)))}"


def show_usage_error(exc: ce.UsageError) -> None:
    """Print ``exc`` on stderr: usage line, the sentence, the help hint."""
    if isinstance(exc, ce.NoArgsIsHelpError):
        exc.show()  # a group given nothing: its help is the answer
        return
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(say(MESSAGES, "usage_error", message=usage_message(exc)))
    if ctx is None:  # click's parser names no command for "--term" without a value
        lines.append(say(MESSAGES, "try_help", command="kyotei COMMAND"))
    elif ctx.command.get_help_option(ctx) is not None:
        lines.append(say(MESSAGES, "try_help", command=ctx.command_path))
    click.echo("\n".join(lines), err=True)

