"""The decision file's pages: every part the engines compute, and the forms that edit it."""
