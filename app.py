"""Backprop Playground (placeholder while the UI is built)."""
import streamlit as st


def main() -> None:
    st.title("Backprop Playground")


if __name__ == "__main__":
    main()
