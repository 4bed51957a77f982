// Remembers the light/dark choice in the hotdash.theme cookie (read by the server for the login page, and here on connect).
const name = "hotdash.theme";

export function getTheme() {
    const match = document.cookie.match(/(?:^|;\s*)hotdash\.theme=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : null;
}

export function setTheme(value) {
    document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
}
