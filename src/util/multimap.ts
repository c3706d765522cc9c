/**
 * Appends to the list under `key`. `map.set(k, [...(map.get(k) ?? []), v])`
 * copies the list on every call: a patch repeating one name ten thousand
 * times made that the square of its length.
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
