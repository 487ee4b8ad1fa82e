/**
 * Worlds and their owners. A turn copies the world's owner and published flag when it is authorized, so
 * revenue share follows the world as it was when the turn was played.
 */
package com.imagina.credits.worlds;
