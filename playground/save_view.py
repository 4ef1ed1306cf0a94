"""The Save & share tab: the link to this setup, and the network as JSON.

The link is the page's own address (``st.context.url``, what the browser shows without
the query) followed by the query the sidebar keeps in the address bar
(sidebar.write_url): the setup, the page's values, and the link's locks and hides.  It
is shown in ``st.code``, whose copy button is Streamlit's own.

Uploads are JSON only, at most limits.APP_UPLOAD_BYTES, and are parsed by
Network.from_json, which never unpickles or evaluates anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import streamlit as st

from bp_core import Network

from . import config as cfg
from . import controls, limits, sidebar, state
from .i18n import t
from .session import visitor
from .text import as_text


def parse_upload(data: bytes, config: cfg.Config) -> tuple[Network, cfg.Config]:
    """Check an uploaded file and return the network and the setup it implies.

    Raises ValueError (with a message for the learner) for anything unusable: too
    big, not a bp_core network, the wrong shape for the data set, or over the
    app's limits.  Size is checked before the text is parsed.
    """
    if len(data) > limits.APP_UPLOAD_BYTES:
        raise ValueError(t("upload_too_big", limit=limits.APP_UPLOAD_BYTES))
    net = Network.from_json(data)
    if (net.sizes[0], net.sizes[-1]) != (cfg.input_size(config.data), cfg.output_size(config.data)):
        raise ValueError(
            t("upload_wrong_data", sizes="-".join(map(str, net.sizes)), data=config.data)
        )
    new = replace(
        config,
        hidden=tuple(net.sizes[1:-1]),
        act=net.activation,
        out=net.output_activation,
        loss=net.loss_name,
    )
    why = cfg.check_hidden(new.hidden, new.data)
    if why:
        raise ValueError(t("upload_too_large", why=t(f"why_{why[0]}", **why[1])))
    return net, new


def on_upload() -> None:
    """Callback: runs before the widgets are drawn, so it may reseed them."""
    upload = visitor.upload
    if upload is None:
        return
    try:
        if upload.size > limits.APP_UPLOAD_BYTES:  # before reading it into memory
            raise ValueError(t("upload_too_big", limit=limits.APP_UPLOAD_BYTES))
        net, new = parse_upload(upload.getvalue(), visitor.config)
    except ValueError as err:
        # The message may quote the file's contents: st.error shows it as markdown, so
        # it goes through as_text, which escapes markup.
        state.say("error", t("upload_refused", why=as_text(str(err))))
        return
    sidebar.seed_widgets(new)
    state.set_network(net, new)
    state.say("success", t("upload_done", sizes="-".join(map(str, net.sizes))))


def share_link(address: str | None, query: Mapping[str, str]) -> str:
    """The link to share: the page's address and its query ("?data=xor&..."), or the
    query alone when the address is unknown (a client that does not send it).

    Streamlit gives the app's root without its final "/" ("http://host:8501"); the
    link puts it back, as the browser's address bar shows it."""
    if address and not urlsplit(address).path:
        address += "/"
    return f"{address or ''}?{urlencode(query)}"


def save_view() -> None:
    st.markdown(f"**{t('share_header')}**")
    # The address bar already holds this setup (sidebar.write_url ran before the page).
    address = st.context.url
    st.code(share_link(address, st.query_params.to_dict()), language=None, wrap_lines=True)
    st.caption(t("share_caption") if address else t("share_no_address"))
    st.markdown(f"**{t('save_header')}**")
    net = visitor.net
    st.download_button(
        t("download_button"),
        net.to_json(),
        file_name="network.json",
        mime="application/json",
        key="download",
    )
    if "upload" not in visitor.hidden_controls:
        st.file_uploader(
            t("upload_label"),
            type=["json"],
            key="upload",
            on_change=on_upload,
            disabled=controls.locked("upload"),
            help=controls.help_text("upload", "upload_help",
                                    limit=limits.APP_UPLOAD_BYTES // 1000),
        )
    state.show_messages()
