package io.transferportal.requests;

/**
 * Which Transfer user: the server and the user name, which together name one user in AWS
 * and in the portal.
 */
public record UserKey(String serverId, String userName) {
}
